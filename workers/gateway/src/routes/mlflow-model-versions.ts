import {
  createModelVersionRequest,
  modelVersionRef,
  SEARCH_MAX_RESULTS_DEFAULT,
  searchRequest,
  updateModelVersionRequest,
} from "@edgeserve/api/mlflow-registry";
import { modelVersions, modelVersionTags, registeredModelAliases, registeredModels } from "@edgeserve/db";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { readBody } from "../http/read-json";
import { downloadUriOf, parseModelSource, sourceArtifactPrefix } from "../registry/model-source";
import { compareBy, parseOrderBy } from "../registry/order-by";
import { paginate } from "../registry/page-token";
import { requireModelOwner } from "../registry/permissions";
import { readQueryOrBody, readQueryWithRepeats } from "../registry/read-request";
import { resolveModelVersion } from "../registry/resolve-model-version";
import { matchesClause, parseSearchFilter } from "../registry/search-filter";
import { isUniqueViolation, requireModel, requireVersion, toApiVersion, toApiVersions } from "../registry/store";
import { dedupeTags } from "../registry/tags";

/** MLflow's model-version API (/api/2.0/mlflow/model-versions). */
export const mlflowModelVersionRoutes = new Hono<AppEnv>();

/** Two creates racing for the same number: the loser retries with the next one. */
const CREATE_ATTEMPTS = 3;

mlflowModelVersionRoutes.post("/create", async (c) => {
  const body = await readBody(c, createModelVersionRequest);
  const db = c.get("db");
  const principal = c.get("principal");
  const source = parseModelSource(body.source);
  const model = await requireModel(db, body.name);
  requireModelOwner(principal, model);
  const artifactPrefix =
    source.kind === "artifacts"
      ? sourceArtifactPrefix(source.path)
      : (await resolveModelVersion(db, source.name, source.versionOrAlias)).artifactPrefix;
  const tags = dedupeTags(body.tags ?? []);
  for (let attempt = 1; ; attempt++) {
    const current = await requireModel(db, body.name);
    const version = current.nextVersion;
    const now = Date.now();
    try {
      await db.batch([
        db.insert(modelVersions).values({
          modelId: model.id,
          version,
          description: body.description ?? "",
          source: body.source,
          artifactPrefix,
          runId: body.run_id ?? "",
          runLink: body.run_link ?? "",
          creatorId: principal.id,
          creator: principal.name,
          createdAt: now,
          updatedAt: now,
        }),
        ...tags.map((t) =>
          db.insert(modelVersionTags).values({ modelId: model.id, version, key: t.key, value: t.value }),
        ),
        db
          .update(registeredModels)
          .set({ nextVersion: version + 1, updatedAt: now })
          .where(eq(registeredModels.id, model.id)),
      ]);
      return c.json({ model_version: await toApiVersion(db, model, await requireVersion(db, model, version)) });
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= CREATE_ATTEMPTS) throw e;
    }
  }
});

mlflowModelVersionRoutes.get("/get", async (c) => {
  const ref = readQueryWithRepeats(c, modelVersionRef);
  const db = c.get("db");
  const model = await requireModel(db, ref.name);
  return c.json({ model_version: await toApiVersion(db, model, await requireVersion(db, model, ref.version)) });
});

mlflowModelVersionRoutes.get("/get-download-uri", async (c) => {
  const ref = readQueryWithRepeats(c, modelVersionRef);
  const db = c.get("db");
  const model = await requireModel(db, ref.name);
  const version = await requireVersion(db, model, ref.version);
  return c.json({ artifact_uri: downloadUriOf(version.artifactPrefix) });
});

const VERSION_ORDER = {
  name: "name",
  version_number: "version",
  creation_timestamp: "created",
  timestamp: "created",
  last_updated_timestamp: "updated",
} as const;

mlflowModelVersionRoutes.get("/search", async (c) => {
  const query = readQueryWithRepeats(c, searchRequest);
  const clauses = parseSearchFilter(query.filter, {
    name: ["=", "!=", "LIKE", "ILIKE"],
    run_id: ["=", "!=", "IN"],
    source_path: ["=", "LIKE"],
  });
  const order = parseOrderBy(query.order_by, VERSION_ORDER, [
    { key: "updated", descending: true },
    { key: "name", descending: false },
    { key: "version", descending: true },
  ]);
  const db = c.get("db");
  const rows = await db
    .select({ version: modelVersions, name: registeredModels.name })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId));
  const fieldOf = (r: (typeof rows)[number], field: string) =>
    field === "name" ? r.name : field === "run_id" ? r.version.runId : r.version.source;
  const matching = rows.filter((r) => clauses.every((cl) => matchesClause(fieldOf(r, cl.field), cl)));
  matching.sort(
    compareBy(order, (r, key) =>
      key === "name"
        ? r.name
        : key === "version"
          ? r.version.version
          : key === "created"
            ? r.version.createdAt
            : r.version.updatedAt,
    ),
  );
  const { page, next } = paginate(matching, query.page_token, query.max_results ?? SEARCH_MAX_RESULTS_DEFAULT);
  const names = new Map(page.map((r) => [r.version.modelId, r.name]));
  return c.json({
    model_versions: await toApiVersions(
      db,
      names,
      page.map((r) => r.version),
    ),
    ...(next ? { next_page_token: next } : {}),
  });
});

mlflowModelVersionRoutes.patch("/update", async (c) => {
  const body = await readBody(c, updateModelVersionRequest);
  const db = c.get("db");
  const model = await requireModel(db, body.name);
  requireModelOwner(c.get("principal"), model);
  const version = await requireVersion(db, model, body.version);
  if (body.description !== undefined)
    await db
      .update(modelVersions)
      .set({ description: body.description, updatedAt: Date.now() })
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, version.version)));
  return c.json({ model_version: await toApiVersion(db, model, await requireVersion(db, model, body.version)) });
});

/** Deletes the version and its aliases; its files stay in R2 (other versions may share them via models:/ sources). */
mlflowModelVersionRoutes.delete("/delete", async (c) => {
  const ref = await readQueryOrBody(c, modelVersionRef);
  const db = c.get("db");
  const model = await requireModel(db, ref.name);
  requireModelOwner(c.get("principal"), model);
  const version = await requireVersion(db, model, ref.version);
  const n = version.version;
  await db.batch([
    db
      .delete(registeredModelAliases)
      .where(and(eq(registeredModelAliases.modelId, model.id), eq(registeredModelAliases.version, n))),
    db.delete(modelVersionTags).where(and(eq(modelVersionTags.modelId, model.id), eq(modelVersionTags.version, n))),
    db.delete(modelVersions).where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, n))),
    db.update(registeredModels).set({ updatedAt: Date.now() }).where(eq(registeredModels.id, model.id)),
  ]);
  return c.json({});
});
