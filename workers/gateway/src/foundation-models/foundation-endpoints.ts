import { errors } from "@edgeserve/api";
import type { LiveEndpoint } from "../endpoints/live-endpoint";
import type { EndpointRow } from "../endpoints/store";
import type { StoredConfig, StoredServedEntity } from "../endpoints/stored-config";
import type { Env } from "../env";
import { EVERY_IDENTITY } from "../permissions/endpoint-access";
import { FOUNDATION_CATALOGUE, isCatalogueName } from "./catalogue";
import { type EnabledModel, readOperatorConfig } from "./operator-config";

/** A pay-per-token endpoint: the endpoint as the API and the query path see it, and how it is served. */
export interface FoundationEndpoint extends LiveEndpoint {
  enabled: EnabledModel;
}

/** Fixed, so that listings and usage records of a foundation endpoint stay the same across deployments. */
const CREATED_AT = Date.UTC(2026, 0, 1);

/** Why the backend cannot answer (a binding or secret missing), or null: READY means a query can be served. */
function backendProblem(env: Env, enabled: EnabledModel): string | null {
  switch (enabled.backend) {
    case "workers-ai":
      return typeof env.AI?.run === "function"
        ? null
        : 'The gateway has no Workers AI binding: add `[ai] binding = "AI"` to wrangler.toml ' +
            "(docs/foundation-models.md).";
    case "openai-compatible":
      return enabled.api_key_secret && !secretOf(env, enabled.api_key_secret)
        ? `The worker secret '${enabled.api_key_secret}' with the model server's token is not set ` +
            "(wrangler secret put)."
        : null;
    case "inference":
      return env.INFERENCE
        ? null
        : "The gateway has no INFERENCE service binding, the inference worker that runs the encoder.";
  }
}

/** A worker secret named by the operator config. */
export function secretOf(env: Env, name: string): string | undefined {
  const value = (env as unknown as Record<string, unknown>)[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function buildEndpoint(env: Env, name: string, enabled: EnabledModel): FoundationEndpoint {
  const { task, info } = FOUNDATION_CATALOGUE[name]!;
  const problem = backendProblem(env, enabled);
  const entity: StoredServedEntity = {
    name,
    foundation_model: info,
    creator: "system",
    creation_timestamp: CREATED_AT,
    state: problem
      ? { deployment: "DEPLOYMENT_FAILED", deployment_state_message: problem }
      : { deployment: "DEPLOYMENT_READY", deployment_state_message: `Served by ${backendLabel(enabled)}.` },
  };
  const config: StoredConfig = {
    served_entities: [entity],
    traffic_config: { routes: [{ served_entity_name: name, traffic_percentage: 100 }] },
    config_version: 1,
  };
  const row: EndpointRow = {
    id: `foundation-${name}`,
    name,
    creatorId: "system",
    creator: "system",
    description: info.description,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    config,
    pendingConfig: null,
    pendingStartedAt: null,
    configVersion: 1,
    ready: problem ? "NOT_READY" : "READY",
    configUpdate: "NOT_UPDATING",
    tags: null,
    // The operator's AI Gateway settings; pay-per-token usage is always tracked (the usage API shows it).
    aiGateway: { ...enabled.ai_gateway, usage_tracking_config: { enabled: true } },
    rateLimits: null,
    routeOptimized: false,
    budgetPolicyId: null,
    emailNotifications: null,
    telemetryConfig: null,
    task,
    endpointType: "FOUNDATION_MODEL_API",
  };
  return {
    row,
    // Not READY: the query path answers INVALID_STATE, as for any endpoint without a ready config.
    config: problem ? null : config,
    // Databricks gives every workspace identity, service principals too, CAN_QUERY on pay-per-token endpoints.
    acl: [{ principalId: EVERY_IDENTITY, level: "CAN_QUERY" }],
    memo: new Map(),
    enabled,
  };
}

function backendLabel(enabled: EnabledModel): string {
  switch (enabled.backend) {
    case "workers-ai":
      return `Workers AI model '${enabled.model}'`;
    case "openai-compatible":
      return `model '${enabled.model}' of the OpenAI-compatible server at ${new URL(enabled.url).origin}`;
    case "inference":
      return "the inference worker's built-in encoder (Universal Sentence Encoder lite, 512 dimensions)";
  }
}

let built: { key: string; endpoints: Map<string, FoundationEndpoint> } | null = null;
/** Per env object (the runtime hands the same one to every request of an isolate): no key to rebuild per query. */
const builtForEnv = new WeakMap<Env, Map<string, FoundationEndpoint>>();

/** The enabled foundation endpoints by name, built once per isolate (again when the config or bindings change). */
export function foundationEndpoints(env: Env): Map<string, FoundationEndpoint> {
  const known = builtForEnv.get(env);
  if (known) return known;
  const key = `${env.EDGESERVE_FOUNDATION_MODELS ?? ""}\u0000${Boolean(env.AI)}\u0000${Boolean(env.INFERENCE)}`;
  if (built?.key !== key) built = { key, endpoints: buildEndpoints(env) };
  builtForEnv.set(env, built.endpoints);
  return built.endpoints;
}

function buildEndpoints(env: Env): Map<string, FoundationEndpoint> {
  const parsed = readOperatorConfig(env.EDGESERVE_FOUNDATION_MODELS);
  const endpoints = new Map<string, FoundationEndpoint>();
  if ("models" in parsed)
    for (const [name, enabled] of Object.entries(parsed.models)) endpoints.set(name, buildEndpoint(env, name, enabled));
  else console.error(JSON.stringify({ type: "foundation_models_config_error", message: parsed.problem }));
  return endpoints;
}

/**
 * The foundation endpoint of this name, or null for a name outside the catalogue. A catalogue name that is
 * not enabled is a 404 (as any unknown endpoint); with an unusable operator config, an error saying why.
 */
export function foundationEndpoint(env: Env, name: string): FoundationEndpoint | null {
  if (!isCatalogueName(name)) return null;
  const found = foundationEndpoints(env).get(name);
  if (found) return found;
  const parsed = readOperatorConfig(env.EDGESERVE_FOUNDATION_MODELS);
  if ("problem" in parsed) throw errors.unavailable(`Foundation model '${name}' is unavailable: ${parsed.problem}`);
  throw errors.notFound(`Endpoint with name '${name}' not found: this Foundation Model API is not enabled here.`);
}

/** Foundation endpoints are the operator's: no API call changes them. */
export function readOnlyFoundationEndpoint(name: string) {
  return errors.badRequest(
    `Endpoint '${name}' is a Foundation Model API endpoint: it is read-only (the operator configures it in ` +
      "EDGESERVE_FOUNDATION_MODELS).",
  );
}
