import { createModelServerRequest, errors, modelServerRef, parseOrThrow, parseSecretReference } from "@edgeserve/api";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { readBody } from "../http/read-json";
import { requireAdmin } from "../identity/scim/require-admin";
import { modelsPlacedOn } from "../model-servers/placed-models";
import {
  deleteModelServer,
  findModelServer,
  insertModelServer,
  listModelServers,
  toModelServer,
} from "../model-servers/store";
import { canReadScope } from "../secrets/store";

/**
 * /api/2.0/edgeserve/model-servers: the model servers registry models may be placed on (an Edgeserve
 * extension; admins only, since every endpoint's deployment may send models and queries there).
 */
export const modelServerRoutes = new Hono<AppEnv>();

modelServerRoutes.use("*", async (c, next) => {
  requireAdmin(c.get("principal"), "manage model servers");
  await next();
});

modelServerRoutes.post("/", async (c) => {
  const input = await readBody(c, createModelServerRequest);
  const ref = input.bearer_token ? parseSecretReference(input.bearer_token) : null;
  if (ref && !(await canReadScope(c.get("db"), c.get("principal"), ref.scope)))
    throw errors.invalid(`bearer_token: secret scope '${ref.scope}' does not exist or cannot be read.`);
  const row = await insertModelServer(c.get("db"), input, c.get("principal").name);
  return c.json(toModelServer(row));
});

modelServerRoutes.get("/", async (c) => {
  const rows = await listModelServers(c.get("db"));
  return c.json({ model_servers: rows.map(toModelServer) });
});

modelServerRoutes.get("/:name", async (c) => {
  const { name } = parseOrThrow(modelServerRef, c.req.param());
  return c.json(toModelServer(await findModelServer(c.get("db"), name)));
});

modelServerRoutes.delete("/:name", async (c) => {
  const { name } = parseOrThrow(modelServerRef, c.req.param());
  const db = c.get("db");
  await findModelServer(db, name);
  // Live endpoints forward to it: removing it would leave them READY with nowhere to send queries.
  const placed = await modelsPlacedOn(db, name);
  if (placed.size > 0)
    throw errors.conflict(
      `Model server '${name}' serves ${[...placed].join(", ")} ` +
        `for live endpoints; update or delete those endpoints first.`,
    );
  if (!(await deleteModelServer(db, name))) throw errors.notFound(`Model server '${name}' does not exist.`);
  return c.json({});
});
