import { ApiError, type Task, errors } from "@edgeserve/api";
import type { Context } from "hono";
import { type LiveEndpoint, getLiveEndpoint } from "../endpoints/cache";
import { endpointNotFound } from "../endpoints/load-for-caller";
import type { AppEnv } from "../env";
import { applyInputGuardrails, applyOutputGuardrails } from "../guardrails";
import { MAX_BODY_BYTES, MAX_LLM_BODY_BYTES } from "../http/read-json";
import { requireLevel } from "../permissions/endpoint-access";
import { type QueryBodies, capturePayload } from "../payload-logs/capture";
import { enforceRateLimits } from "../rate-limits";
import { noteQueryEndpoint, noteServedEntity } from "../metrics/track-query-outcomes";
import { dispatchQuery } from "./dispatch";
import type { QueryContext } from "./query-context";
import { logQueryFailure } from "./service-log";
import { pickServedEntity } from "./traffic";
import { checkRecordedQueryFields } from "./usage/query-usage-fields";

/** Loads the endpoint for a query: 404 if unknown, 403 without CAN_QUERY, and a clear error if it has no live config. */
export async function loadQueryableEndpoint(c: Context<AppEnv>, name: string): Promise<LiveEndpoint> {
  const endpoint = await getLiveEndpoint(c.env, c.get("db"), name);
  if (!endpoint) throw endpointNotFound(name);
  noteQueryEndpoint(c, endpoint);
  requireLevel(c.get("principal"), endpoint.acl, "CAN_QUERY", name);
  if (!endpoint.config) {
    if (endpoint.row.configUpdate === "IN_PROGRESS")
      throw errors.unavailable(`Endpoint '${name}' is not ready yet: its first config is being deployed.`, 2);
    throw new ApiError("INVALID_STATE", `Endpoint '${name}' has no ready config (config_update: ${endpoint.row.configUpdate}); see its build logs.`);
  }
  return endpoint;
}

export function bodyLimitFor(endpoint: LiveEndpoint): number {
  return endpoint.row.endpointType === "EXTERNAL_MODEL" ? MAX_LLM_BODY_BYTES : MAX_BODY_BYTES;
}

type QueryOptions = { entityName?: string; expectedTask?: Task; csv?: string };

/**
 * The query path shared by /invocations, /served-models/{entity}/invocations and the
 * OpenAI-compatible routes: pick an entity by traffic (or the one named), dispatch, and
 * answer with the `served-model-name` header.
 */
export async function answerQuery(c: Context<AppEnv>, endpoint: LiveEndpoint, body: Record<string, unknown>, options: QueryOptions = {}): Promise<Response> {
  const startedAt = Date.now();
  const bodies: QueryBodies = { received: body };
  try {
    return await sendQuery(c, endpoint, bodies, options);
  } finally {
    // Once, when the outcome is known: the payload log keeps what was sent on, never a refused query's raw text.
    capturePayload(c, endpoint, bodies, startedAt);
  }
}

/** answerQuery's work; sets `bodies.sent` once the input guardrails have passed the body on. */
async function sendQuery(c: Context<AppEnv>, endpoint: LiveEndpoint, bodies: QueryBodies, options: QueryOptions): Promise<Response> {
  const config = endpoint.config!;
  checkRecordedQueryFields(bodies.received);
  if (options.expectedTask && endpoint.row.task !== options.expectedTask) {
    throw errors.invalid(
      `Endpoint '${endpoint.row.name}' serves ${endpoint.row.task ?? "a custom model"}, not ${options.expectedTask}; use the route for its task or /serving-endpoints/${endpoint.row.name}/invocations.`,
    );
  }
  await enforceRateLimits(c.env, endpoint, c.get("principal"), (promise) => c.executionCtx.waitUntil(promise));
  const entityName = options.entityName ?? pickServedEntity(config.traffic_config.routes);
  const entity = config.served_entities.find((e) => e.name === entityName);
  if (!entity) {
    if (options.entityName) throw errors.notFound(`Served model '${options.entityName}' not found in endpoint '${endpoint.row.name}'.`);
    throw new ApiError("INVALID_STATE", `Endpoint '${endpoint.row.name}' routes no traffic to any served entity.`);
  }
  noteServedEntity(c, entity.name);
  const ctx: QueryContext = {
    env: c.env,
    db: c.get("db"),
    endpoint,
    entity,
    principal: c.get("principal"),
    requestId: c.get("requestId"),
    body: bodies.received,
    ...(options.csv !== undefined && { csv: options.csv }),
    signal: c.req.raw.signal,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  };
  const body = (bodies.sent = await applyInputGuardrails(ctx));
  let response: Response;
  try {
    response = await dispatchQuery({ ...ctx, body });
  } catch (error) {
    const logged = logQueryFailure(c.get("db"), endpoint.row.id, entity.name, error);
    if (logged) c.executionCtx.waitUntil(logged);
    throw error;
  }
  response = await applyOutputGuardrails(ctx, response);
  response.headers.set("served-model-name", entity.name);
  return response;
}
