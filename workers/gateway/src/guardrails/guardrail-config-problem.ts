import { type AiGateway, type GuardrailParameters, permissionRank } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import { aclOf, findEndpointByName } from "../endpoints/store";
import { type StoredConfig, taskOf } from "../endpoints/stored-config";
import type { Env } from "../env";
import type { Principal } from "../identity/principal";
import { effectiveLevel } from "../permissions/endpoint-access";
import { DEFAULT_EMBEDDINGS_ENDPOINT } from "./check-topics";

const STAGES = ["input", "output"] as const;

/**
 * Whether a guardrail section does anything (Databricks' clients may send `pii: {behavior: "NONE"}`, `safety: false`).
 */
function isActive(params: GuardrailParameters): boolean {
  const pii = params.pii?.behavior;
  return (
    params.safety === true ||
    pii === "BLOCK" ||
    pii === "MASK" ||
    Boolean(params.invalid_keywords?.length) ||
    Boolean(params.valid_topics?.length)
  );
}

/**
 * An endpoint a guardrail asks exists (and, for one the caller named, the caller may query it: otherwise its owner pays
 * for the caller's traffic).
 */
async function canUseEndpoint(db: Database, name: string, caller: Principal | undefined): Promise<boolean> {
  const row = await findEndpointByName(db, name);
  if (!row) return false;
  return !caller || permissionRank(effectiveLevel(caller, await aclOf(db, row.id))) >= permissionRank("CAN_QUERY");
}

/**
 * Why an endpoint's `ai_gateway.guardrails` could not work with its config and this gateway's settings,
 * or null: guardrails on a custom (MLflow) model, `safety` without a classifier endpoint, a classifier or
 * embeddings endpoint that does not exist. Create and PUT …/ai-gateway answer it as a 400 (`caller` set:
 * a classifier the caller names must be one they can query); a deployment fails with it.
 */
export async function guardrailConfigProblem(
  db: Database,
  env: Env,
  guardrails: AiGateway["guardrails"] | null | undefined,
  config: StoredConfig | null,
  caller?: Principal,
): Promise<string | null> {
  for (const stage of STAGES) {
    const params = guardrails?.[stage];
    if (!params || !isActive(params)) continue;
    const field = `ai_gateway.guardrails.${stage}`;
    if (config && taskOf(config) === null)
      return (
        `${field} cannot screen a custom (MLflow) model: guardrails read chat, ` +
        `completions and embeddings text, and this endpoint's scoring requests ` +
        `and predictions are dataframes, tensors or CSV, so they would check ` +
        `nothing. Remove them, or serve the model behind an endpoint with a task.`
      );
    if (params.safety === true) {
      const named = params.safety_endpoint_name;
      const name = named ?? env.EDGESERVE_GUARDRAILS_SAFETY_ENDPOINT;
      if (!name)
        return (
          `${field}.safety is on but names no classifier: set 'safety_endpoint_name' ` +
          `(or the gateway's EDGESERVE_GUARDRAILS_SAFETY_ENDPOINT).`
        );
      const asCaller = named !== undefined ? caller : undefined;
      if (!(await canUseEndpoint(db, name, asCaller)))
        return named !== undefined
          ? `${field}.safety_endpoint_name names the serving endpoint '${name}', ` +
              `which does not exist${asCaller ? " or which you cannot query" : ""}.`
          : `${field}.safety uses the classifier endpoint '${name}' ` +
              `(EDGESERVE_GUARDRAILS_SAFETY_ENDPOINT), which does not exist.`;
    }
    if (params.valid_topics?.length) {
      const name = env.EDGESERVE_GUARDRAILS_EMBEDDINGS_ENDPOINT || DEFAULT_EMBEDDINGS_ENDPOINT;
      if (!(await canUseEndpoint(db, name, undefined)))
        return (
          `${field}.valid_topics compares texts with the embeddings endpoint ` +
          `'${name}' (EDGESERVE_GUARDRAILS_EMBEDDINGS_ENDPOINT), which does not exist.`
        );
    }
  }
  return null;
}
