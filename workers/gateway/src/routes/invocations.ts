import { Hono } from "hono";
import type { AppEnv } from "../env";
import { readJsonObject } from "../http/read-json";
import { answerQuery, bodyLimitFor, loadQueryableEndpoint } from "../serving/handle-query";

/** POST /serving-endpoints/{name}/invocations and …/served-models/{entity}/invocations. */
export const invocationRoutes = new Hono<AppEnv>();

invocationRoutes.post("/:name/invocations", async (c) => {
  const endpoint = await loadQueryableEndpoint(c, c.req.param("name"));
  const body = await readJsonObject(c, bodyLimitFor(endpoint));
  return answerQuery(c, endpoint, body);
});

invocationRoutes.post("/:name/served-models/:entity/invocations", async (c) => {
  const endpoint = await loadQueryableEndpoint(c, c.req.param("name"));
  const body = await readJsonObject(c, bodyLimitFor(endpoint));
  return answerQuery(c, endpoint, body, { entityName: c.req.param("entity") });
});
