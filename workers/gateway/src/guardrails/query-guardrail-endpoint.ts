import { ApiError } from "@edgeserve/api";
import { getLiveEndpoint } from "../endpoints/cache";
import { dispatchQuery } from "../serving/dispatch";
import { pickServedEntity } from "../serving/traffic";
import type { GuardrailName } from "./guardrail-block";
import type { GuardrailScope } from "./guardrail-scope";

/**
 * Queries another serving endpoint in-process (no HTTP, no rate limits, no guardrails of its own), as
 * the guardrail's evaluator. Guardrails fail closed: a missing endpoint or a failed answer stops the
 * guarded query with an error rather than letting it through unchecked.
 */
export async function queryGuardrailEndpoint(
  scope: GuardrailScope,
  guardrail: GuardrailName,
  name: string,
  bodyFor: (task: string | null) => Record<string, unknown>,
): Promise<unknown> {
  const endpoint = await getLiveEndpoint(scope.env, scope.db, name);
  if (!endpoint?.config)
    throw new ApiError(
      "INVALID_STATE",
      `Guardrail '${guardrail}' needs the serving endpoint '${name}', which ` +
        `does not exist or has no ready config; the query was not served.`,
    );
  const entityName = pickServedEntity(endpoint.config.traffic_config.routes);
  const entity = endpoint.config.served_entities.find((e) => e.name === entityName);
  if (!entity)
    throw new ApiError(
      "INVALID_STATE",
      `Guardrail '${guardrail}' needs the serving endpoint ` +
        `'${name}', which routes no traffic; the query was not served.`,
    );
  const unavailable = (why: string) =>
    new ApiError(
      "BAD_GATEWAY",
      `Guardrail '${guardrail}' could not be evaluated: endpoint '${name}' ${why}; the query was not served.`,
    );
  let response: Response;
  try {
    response = await dispatchQuery({ ...scope, endpoint, entity, body: bodyFor(endpoint.row.task) });
  } catch (error) {
    throw unavailable(error instanceof ApiError ? `failed with ${error.code}` : "failed");
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw unavailable(`answered ${response.status}`);
  }
  return response.json();
}
