import { ApiError, type Task, errors } from "@edgeserve/api";
import type { Context } from "hono";
import { getLiveEndpoint } from "../endpoints/cache";
import type { LiveEndpoint } from "../endpoints/live-endpoint";
import { endpointNotFound } from "../endpoints/load-for-caller";
import type { AppEnv } from "../env";
import { applyInputGuardrails, applyOutputGuardrails } from "../guardrails";
import { MAX_BODY_BYTES, MAX_LLM_BODY_BYTES } from "../http/read-json";
import { requireLevel } from "../permissions/endpoint-access";
import { enforceRateLimits } from "../rate-limits";
import { dispatchQuery } from "./dispatch";
import { dispatchWithFallbacks } from "./fallback/dispatch-with-fallbacks";
import { fallbacksEnabled } from "./fallback/fallbacks-enabled";
import type { Query } from "./query";
import type { QueryContext } from "./query-context";
import { logQueryFailure } from "./service-log";
import { pickServedEntity } from "./traffic";
import { checkRecordedQueryFields } from "./usage/query-usage-fields";

/** The `query` context variable: set once by startQuery, read by the middleware around the query routes. */
type QueryVariables = { query?: Query };

declare module "hono" {
  interface ContextVariableMap extends QueryVariables {}
}

/**
 * Starts a query on the named endpoint: 404 if unknown; otherwise the query exists (and counts in metrics)
 * from here on, even when it is refused next with 403 without CAN_QUERY or a clear error if the endpoint
 * has no live config.
 */
export async function startQuery(c: Context<AppEnv>, name: string): Promise<Query> {
  const endpoint = await getLiveEndpoint(c.env, c.get("db"), name);
  if (!endpoint) throw endpointNotFound(name);
  const query: Query = { requestId: c.get("requestId"), principal: c.get("principal"), endpoint };
  c.set("query", query);
  requireLevel(query.principal, endpoint.acl, "CAN_QUERY", name);
  if (!endpoint.config) {
    if (endpoint.row.configUpdate === "IN_PROGRESS")
      throw errors.unavailable(`Endpoint '${name}' is not ready yet: its first config is being deployed.`, 2);
    throw new ApiError(
      "INVALID_STATE",
      `Endpoint '${name}' has no ready config (config_update: ${endpoint.row.configUpdate}); see its build logs.`,
    );
  }
  return query;
}

export function bodyLimitFor(endpoint: LiveEndpoint): number {
  const llm = endpoint.row.endpointType === "EXTERNAL_MODEL" || endpoint.row.endpointType === "FOUNDATION_MODEL_API";
  return llm ? MAX_LLM_BODY_BYTES : MAX_BODY_BYTES;
}

type QueryOptions = { entityName?: string; expectedTask?: Task; csv?: string };

/**
 * The query path shared by /invocations, /served-models/{entity}/invocations and the
 * OpenAI-compatible routes: pick an entity by traffic (or the one named), dispatch, and
 * answer with the `served-model-name` header. Notes on `query` what it learns on the way.
 */
export async function answerQuery(
  c: Context<AppEnv>,
  query: Query,
  body: Record<string, unknown>,
  options: QueryOptions = {},
): Promise<Response> {
  query.answering = { startedAt: Date.now(), received: body };
  const { endpoint } = query;
  const config = endpoint.config!;
  checkRecordedQueryFields(body);
  if (options.expectedTask && endpoint.row.task !== options.expectedTask) {
    throw errors.invalid(
      `Endpoint '${endpoint.row.name}' serves ${endpoint.row.task ?? "a custom model"}, ` +
        `not ${options.expectedTask}; use the route for ` +
        `its task or /serving-endpoints/${endpoint.row.name}/invocations.`,
    );
  }
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
  await enforceRateLimits(c.env, endpoint, query.principal, waitUntil);
  const entityName = options.entityName ?? pickServedEntity(config.traffic_config.routes);
  const entity = config.served_entities.find((e) => e.name === entityName);
  if (!entity) {
    if (options.entityName)
      throw errors.notFound(`Served model '${options.entityName}' not found in endpoint '${endpoint.row.name}'.`);
    throw new ApiError("INVALID_STATE", `Endpoint '${endpoint.row.name}' routes no traffic to any served entity.`);
  }
  query.entity = entity;
  const ctx: QueryContext = {
    env: c.env,
    db: c.get("db"),
    endpoint,
    entity,
    principal: query.principal,
    requestId: query.requestId,
    body,
    ...(options.csv !== undefined && { csv: options.csv }),
    signal: c.req.raw.signal,
    waitUntil,
  };
  const sent = (query.sent = await applyInputGuardrails(ctx));
  const dispatched: QueryContext = { ...ctx, body: sent };
  let response: Response;
  try {
    // A route that names its entity asked for that one: no fallback.
    response =
      fallbacksEnabled(endpoint.row.aiGateway) && !options.entityName
        ? await dispatchWithFallbacks(dispatched, query)
        : await dispatchQuery(dispatched);
  } catch (error) {
    const logged = logQueryFailure(ctx.db, endpoint.row.id, dispatched.entity.name, error);
    if (logged) waitUntil(logged);
    throw error;
  }
  // The entity that answered: another than the one picked when the query fell back.
  const answering = (ctx.entity = dispatched.entity);
  response = await applyOutputGuardrails(ctx, response);
  response.headers.set("served-model-name", answering.name);
  query.answeredBy = answering.name;
  return response;
}
