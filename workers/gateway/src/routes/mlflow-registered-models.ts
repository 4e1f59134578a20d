import { errors } from "@edgeserve/api";
import {
  aliasRef,
  createRegisteredModelRequest,
  deleteRegisteredModelRequest,
  getLatestVersionsRequest,
  getRegisteredModelQuery,
  renameRegisteredModelRequest,
  SEARCH_MAX_RESULTS_DEFAULT,
  searchRequest,
  setAliasRequest,
  updateRegisteredModelRequest,
} from "@edgeserve/api/mlflow-registry";
import {
  modelVersions,
  modelVersionTags,
  registeredModelAliases,
  registeredModels,
  registeredModelTags,
} from "@edgeserve/db";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { readBody } from "../http/read-json";
import { newHexId } from "../ids";
import { compareBy, parseOrderBy } from "../registry/order-by";
import { paginate } from "../registry/page-token";
import { dedupeTags } from "../registry/tags";
import { requireModelOwner } from "../registry/permissions";
import { readQueryOrBody, readQueryWithRepeats } from "../registry/read-request";
import { matchesClause, parseSearchFilter } from "../registry/search-filter";
import {
  findAliasVersion,
  isUniqueViolation,
  latestVersion,
  requireModel,
  requireVersion,
  toApiModel,
  toApiModels,
  toApiVersion,
  toApiVersions,
} from "../registry/store";

/** MLflow's registered-model API (/api/2.0/mlflow/registered-models): models, their aliases and latest versions. */
export const mlflowRegisteredModelRoutes = new Hono<AppEnv>();

mlflowRegisteredModelRoutes.post("/create", async (c) => {
  const body = await readBody(c, createRegisteredModelRequest);
  const db = c.get("db");
  const principal = c.get("principal");
  const id = newHexId();
  const now = Date.now();
  const tags = dedupeTags(body.tags ?? []);
  try {
    await db.batch([
      db.insert(registeredModels).values({
        id,
        name: body.name,
        description: body.description ?? "",
        creatorId: principal.id,
        creator: principal.name,
        createdAt: now,
        updatedAt: now,
      }),
      ...tags.map((t) => db.insert(registeredModelTags).values({ modelId: id, key: t.key, value: t.value })),
    ]);
  } catch (e) {
    if (isUniqueViolation(e)) throw errors.alreadyExists(`Registered Model (name=${body.name}) already exists.`);
    throw e;
  }
  return c.json({ registered_model: await toApiModel(db, await requireModel(db, body.name)) });
});

mlflowRegisteredModelRoutes.get("/get", async (c) => {
  const { name } = readQueryWithRepeats(c, getRegisteredModelQuery);
  const db = c.get("db");
  return c.json({ registered_model: await toApiModel(db, await requireModel(db, name)) });
});

const MODEL_ORDER = {
  name: "name",
  timestamp: "created",
  creation_timestamp: "created",
  last_updated_timestamp: "updated",
} as const;

mlflowRegisteredModelRoutes.get("/search", async (c) => {
  const query = readQueryWithRepeats(c, searchRequest);
  const clauses = parseSearchFilter(query.filter, { name: ["=", "!=", "LIKE", "ILIKE"] });
  const order = parseOrderBy(query.order_by, MODEL_ORDER, [{ key: "name", descending: false }]);
  const db = c.get("db");
  const rows = (await db.select().from(registeredModels)).filter((m) =>
    clauses.every((cl) => matchesClause(m.name, cl)),
  );
  rows.sort(compareBy(order, (m, key) => (key === "name" ? m.name : key === "created" ? m.createdAt : m.updatedAt)));
  const { page, next } = paginate(rows, query.page_token, query.max_results ?? SEARCH_MAX_RESULTS_DEFAULT);
  return c.json({ registered_models: await toApiModels(db, page), ...(next ? { next_page_token: next } : {}) });
});

mlflowRegisteredModelRoutes.post("/rename", async (c) => {
  const body = await readBody(c, renameRegisteredModelRequest);
  const db = c.get("db");
  const model = await requireModel(db, body.name);
  requireModelOwner(c.get("principal"), model);
  if (body.new_name !== body.name) {
    try {
      await db
        .update(registeredModels)
        .set({ name: body.new_name, updatedAt: Date.now() })
        .where(eq(registeredModels.id, model.id));
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.alreadyExists(`Registered Model (name=${body.new_name}) already exists.`);
      throw e;
    }
  }
  return c.json({ registered_model: await toApiModel(db, await requireModel(db, body.new_name)) });
});

mlflowRegisteredModelRoutes.patch("/update", async (c) => {
  const body = await readBody(c, updateRegisteredModelRequest);
  const db = c.get("db");
  const model = await requireModel(db, body.name);
  requireModelOwner(c.get("principal"), model);
  if (body.description !== undefined)
    await db
      .update(registeredModels)
      .set({ description: body.description, updatedAt: Date.now() })
      .where(eq(registeredModels.id, model.id));
  return c.json({ registered_model: await toApiModel(db, await requireModel(db, body.name)) });
});

mlflowRegisteredModelRoutes.delete("/delete", async (c) => {
  const { name } = await readQueryOrBody(c, deleteRegisteredModelRequest);
  const db = c.get("db");
  const model = await requireModel(db, name);
  requireModelOwner(c.get("principal"), model);
  // Children first: the foreign keys cascade too, but this does not depend on D1 enforcing them.
  await db.batch([
    db.delete(registeredModelAliases).where(eq(registeredModelAliases.modelId, model.id)),
    db.delete(modelVersionTags).where(eq(modelVersionTags.modelId, model.id)),
    db.delete(modelVersions).where(eq(modelVersions.modelId, model.id)),
    db.delete(registeredModelTags).where(eq(registeredModelTags.modelId, model.id)),
    db.delete(registeredModels).where(eq(registeredModels.id, model.id)),
  ]);
  return c.json({});
});

/** MLflow's legacy "latest version per stage"; without stages that is the newest version. */
mlflowRegisteredModelRoutes.post("/get-latest-versions", async (c) => {
  const body = await readBody(c, getLatestVersionsRequest);
  const db = c.get("db");
  const model = await requireModel(db, body.name);
  const stages = body.stages === undefined ? [] : Array.isArray(body.stages) ? body.stages : [body.stages];
  const latest =
    stages.length === 0 || stages.some((s) => s.toLowerCase() === "none")
      ? await latestVersion(db, model.id)
      : undefined;
  return c.json({ model_versions: await toApiVersions(db, new Map([[model.id, model.name]]), latest ? [latest] : []) });
});

mlflowRegisteredModelRoutes.post("/alias", async (c) => {
  const body = await readBody(c, setAliasRequest);
  const db = c.get("db");
  const model = await requireModel(db, body.name);
  requireModelOwner(c.get("principal"), model);
  const version = await requireVersion(db, model, body.version);
  await db.batch([
    db
      .insert(registeredModelAliases)
      .values({ modelId: model.id, alias: body.alias, version: version.version })
      .onConflictDoUpdate({
        target: [registeredModelAliases.modelId, registeredModelAliases.alias],
        set: { version: version.version },
      }),
    db.update(registeredModels).set({ updatedAt: Date.now() }).where(eq(registeredModels.id, model.id)),
  ]);
  return c.json({});
});

mlflowRegisteredModelRoutes.delete("/alias", async (c) => {
  const body = await readQueryOrBody(c, aliasRef);
  const db = c.get("db");
  const model = await requireModel(db, body.name);
  requireModelOwner(c.get("principal"), model);
  if ((await findAliasVersion(db, model.id, body.alias)) === undefined)
    throw errors.notFound(`Registered model alias ${body.alias} not found for model ${model.name}.`);
  await db.batch([
    db
      .delete(registeredModelAliases)
      .where(and(eq(registeredModelAliases.modelId, model.id), eq(registeredModelAliases.alias, body.alias))),
    db.update(registeredModels).set({ updatedAt: Date.now() }).where(eq(registeredModels.id, model.id)),
  ]);
  return c.json({});
});

mlflowRegisteredModelRoutes.get("/alias", async (c) => {
  const query = readQueryWithRepeats(c, aliasRef);
  const db = c.get("db");
  const model = await requireModel(db, query.name);
  const number = await findAliasVersion(db, model.id, query.alias);
  if (number === undefined)
    throw errors.notFound(`Registered model alias ${query.alias} not found for model ${model.name}.`);
  return c.json({ model_version: await toApiVersion(db, model, await requireVersion(db, model, number)) });
});
