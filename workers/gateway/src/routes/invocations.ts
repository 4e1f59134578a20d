import { Hono } from "hono";
import type { Context } from "hono";
import type { LiveEndpoint } from "../endpoints/live-endpoint";
import type { AppEnv } from "../env";
import { readJsonObject } from "../http/read-json";
import { readScoringBody } from "../serving/custom-model/read-scoring-body";
import { answerQuery, bodyLimitFor, startQuery } from "../serving/handle-query";

/** POST /serving-endpoints/{name}/invocations and …/served-models/{entity}/invocations. */
export const invocationRoutes = new Hono<AppEnv>();

/**
 * Endpoints with an LLM task (external models, the built-in encoder) take JSON whatever the content type;
 * custom models speak MLflow's scoring protocol (JSON or CSV, MLflow's errors).
 */
async function readQueryBody(
  c: Context<AppEnv>,
  endpoint: LiveEndpoint,
): Promise<{ body: Record<string, unknown>; csv?: string }> {
  if (endpoint.row.task) return { body: await readJsonObject(c, bodyLimitFor(endpoint)) };
  return readScoringBody(c, bodyLimitFor(endpoint));
}

invocationRoutes.post("/:name/invocations", async (c) => {
  const query = await startQuery(c, c.req.param("name"));
  const { body, csv } = await readQueryBody(c, query.endpoint);
  return answerQuery(c, query, body, { ...(csv !== undefined && { csv }) });
});

invocationRoutes.post("/:name/served-models/:entity/invocations", async (c) => {
  const query = await startQuery(c, c.req.param("name"));
  const { body, csv } = await readQueryBody(c, query.endpoint);
  return answerQuery(c, query, body, { entityName: c.req.param("entity"), ...(csv !== undefined && { csv }) });
});
