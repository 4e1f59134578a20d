import { ApiError, errors, parseSecretReference } from "@edgeserve/api";
import { SCORING_INPUT_FIELDS, type ScoringInput } from "@edgeserve/mlflow";
import { callModelServer, modelServerError } from "../../../model-servers/call-model-server";
import type { ModelServerPlacement } from "../../../model-servers/placement";
import { getSecretValue } from "../../../secrets/store";
import type { QueryContext } from "../../query-context";
import { upstreamTimeoutMs } from "../../upstream-fetch";
import type { ModelOnServer } from "../pinned-model";
import { scoringInputToTensors, tensorsToPredictions } from "./oip-tensors";

/** The parsed, signature-checked request the gateway forwards. */
export interface CheckedScoring {
  input: ScoringInput;
  params?: Record<string, unknown>;
}

/**
 * Asks the model server a deployment placed the version on for its predictions. MLflow scoring server: the
 * request as the client sent it (its one scoring field and params, or the CSV), since that server speaks the
 * same protocol. OIP v2: the checked input as tensors, and the output tensors back as predictions.
 */
export async function predictOnModelServer(
  ctx: QueryContext,
  pinned: ModelOnServer,
  scoring: CheckedScoring,
): Promise<unknown> {
  const placement = pinned.model_server;
  const call = {
    server: placement.server,
    timeoutMs: upstreamTimeoutMs(ctx.env),
    signal: ctx.signal,
    token: await bearerToken(ctx, placement),
  };
  const bad = (why: string) =>
    new ApiError("BAD_GATEWAY", `Model server '${placement.server}' answered ${why}.`, { status: 502 });
  if (placement.protocol === "mlflow") {
    const answer = await callModelServer(
      { ...call, url: `${placement.base_url}/invocations` },
      ctx.csv !== undefined
        ? { method: "POST", body: ctx.csv, contentType: "text/csv" }
        : { method: "POST", body: JSON.stringify(scoringFieldsOf(ctx.body)), contentType: "application/json" },
    );
    if (answer.status !== 200) throw modelServerError(placement.server, answer, call.token);
    const body = parseJson(answer.text) as { predictions?: unknown } | undefined;
    if (body === undefined || !("predictions" in body)) throw bad("without predictions");
    return body.predictions;
  }
  const path = `/v2/models/${encodeURIComponent(placement.model!)}/versions/${encodeURIComponent(placement.version!)}`;
  const inputs = scoringInputToTensors(scoring.input, pinned.signature, placement.metadata);
  const answer = await callModelServer(
    { ...call, url: `${placement.base_url}${path}/infer` },
    {
      method: "POST",
      body: JSON.stringify({ inputs, ...(scoring.params && { parameters: scoring.params }) }),
      contentType: "application/json",
    },
  );
  if (answer.status !== 200) throw modelServerError(placement.server, answer, call.token);
  const body = parseJson(answer.text) as { outputs?: unknown } | undefined;
  try {
    return tensorsToPredictions(body?.outputs);
  } catch (e) {
    throw bad(`an infer response the gateway cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The body's scoring field and params: Databricks' extras (client_request_id, usage_context) stay here. */
function scoringFieldsOf(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of [...SCORING_INPUT_FIELDS, "params"]) if (Object.hasOwn(body, field)) out[field] = body[field];
  return out;
}

/** The server's token, decrypted once per cached endpoint (a rotated secret is read again within the cache TTL). */
async function bearerToken(ctx: QueryContext, placement: ModelServerPlacement): Promise<string | undefined> {
  const ref = placement.bearer_token ? parseSecretReference(placement.bearer_token) : null;
  if (!ref) return undefined;
  const key = `model-server-token:${placement.server}:${placement.bearer_token}`;
  const cached = ctx.endpoint.memo.get(key) as string | undefined;
  if (cached !== undefined) return cached;
  const value = await getSecretValue(ctx.db, ctx.env, ref.scope, ref.key);
  if (value === null)
    throw errors.unavailable(
      `Model server '${placement.server}' has a bearer_token whose secret no longer exists; an admin must update it.`,
    );
  ctx.endpoint.memo.set(key, value);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
