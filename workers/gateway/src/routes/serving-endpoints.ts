import {
  ApiError,
  type EndpointTag,
  createServingEndpointRequest,
  endpointCoreConfigInput,
  errors,
  listServingEndpointsQuery,
  patchNotificationsRequest,
  patchTagsRequest,
  patchTelemetryConfigRequest,
  putAiGatewayRequest,
  putRateLimitsRequest,
} from "@edgeserve/api";
import { endpointAcl, endpoints } from "@edgeserve/db";
import { and, eq, ne } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { invalidateEndpointCache } from "../endpoints/cache";
import { enqueueDeployment } from "../endpoints/enqueue-deployment";
import { decodePageToken, encodePageToken, listVisibleEndpoints } from "../endpoints/list-page";
import { readLog } from "../endpoints/events";
import { endpointNotFound, loadEndpointForCaller } from "../endpoints/load-for-caller";
import { prepareConfig, storeConfigSecrets } from "../endpoints/prepare-config";
import { toDetailed, toSummary } from "../endpoints/serialize";
import {
  type EndpointRow,
  findEndpointById,
  findEndpointByName,
  storedConfig,
  storedPendingConfig,
} from "../endpoints/store";
import { endpointTypeOf, taskOf } from "../endpoints/stored-config";
import type { AppEnv } from "../env";
import { guardrailConfigProblem } from "../guardrails/guardrail-config-problem";
import { readBody, readQuery } from "../http/read-json";
import { isCatalogueName } from "../foundation-models/catalogue";
import { releaseDeletedEndpoint } from "../foundation-models/throughput-reservations";
import { withFoundationEndpoints } from "../foundation-models/list-with-foundation";
import { newHexId } from "../ids";
import { schedulePayloadLogPurge } from "../payload-logs/purge";
import { deleteEndpointSecrets } from "../secrets/store";
import { querySignatureSchemas } from "../serving/custom-model/query-signature";

export const servingEndpointRoutes = new Hono<AppEnv>();

function origin(c: Context<AppEnv>): string {
  return new URL(c.req.url).origin;
}

/** Bodies may repeat the endpoint's name (Databricks' clients do); a different one is a mistake, never ignored. */
function requireNameOfPath(bodyName: string | undefined, endpointName: string): void {
  if (bodyName !== undefined && bodyName !== endpointName)
    throw errors.invalid(`Body name '${bodyName}' does not match endpoint '${endpointName}'.`);
}

async function reload(c: Context<AppEnv>, id: string): Promise<EndpointRow> {
  const rows = await c.get("db").select().from(endpoints).where(eq(endpoints.id, id)).limit(1);
  return rows[0]!;
}

{
  const path = "/";
  servingEndpointRoutes.post(path, async (c) => {
    const db = c.get("db");
    const principal = c.get("principal");
    const body = await readBody(c, createServingEndpointRequest);
    requireNameOfPath(body.config?.name, body.name);
    if (isCatalogueName(body.name))
      throw errors.alreadyExists(`'${body.name}' is the name of a Foundation Model API endpoint; choose another.`);
    if (await findEndpointByName(db, body.name))
      throw errors.alreadyExists(`Serving endpoint with name ${body.name} already exists.`);

    const id = newHexId();
    const now = Date.now();
    const prepared = body.config ? await prepareConfig(db, principal, id, body.config, 1) : null;
    const guardrailProblem = await guardrailConfigProblem(
      db,
      c.env,
      body.ai_gateway?.guardrails,
      prepared?.config ?? null,
      principal,
    );
    if (guardrailProblem) throw errors.invalid(guardrailProblem);
    if (prepared) await storeConfigSecrets(db, c.env, principal, id, prepared);
    try {
      await db.batch([
        db.insert(endpoints).values({
          id,
          name: body.name,
          creatorId: principal.id,
          creator: principal.name,
          description: body.description ?? null,
          createdAt: now,
          updatedAt: now,
          config: null,
          pendingConfig: prepared?.config ?? null,
          pendingStartedAt: prepared ? now : null,
          configVersion: prepared ? 1 : 0,
          ready: "NOT_READY",
          configUpdate: prepared ? "IN_PROGRESS" : "NOT_UPDATING",
          tags: body.tags ?? null,
          aiGateway: body.ai_gateway ?? null,
          rateLimits: body.rate_limits ?? null,
          routeOptimized: body.route_optimized ?? false,
          budgetPolicyId: body.budget_policy_id ?? null,
          emailNotifications: body.email_notifications ?? null,
          telemetryConfig: body.telemetry_config ?? null,
          task: prepared ? taskOf(prepared.config) : null,
          endpointType: prepared ? endpointTypeOf(prepared.config) : null,
        }),
        db.insert(endpointAcl).values({ endpointId: id, principalId: principal.id, level: "CAN_MANAGE" }),
      ]);
    } catch (e) {
      await deleteEndpointSecrets(db, id);
      if (String(e).includes("UNIQUE"))
        throw errors.alreadyExists(`Serving endpoint with name ${body.name} already exists.`);
      throw e;
    }
    if (prepared) {
      try {
        await enqueueDeployment(c.env, { endpointId: id, configVersion: 1 });
      } catch {
        // Without a deployment the endpoint would stay IN_PROGRESS forever: undo the create.
        await db.delete(endpoints).where(eq(endpoints.id, id));
        await deleteEndpointSecrets(db, id);
        throw errors.unavailable("Could not schedule the endpoint's deployment; nothing was created. Try again.", 1);
      }
    }
    invalidateEndpointCache(body.name);
    return c.json(toDetailed(await reload(c, id), "CAN_MANAGE", origin(c)));
  });

  servingEndpointRoutes.get(path, async (c) => {
    const query = readQuery(c, listServingEndpointsQuery);
    let after: string | null = null;
    if (query.page_token !== undefined) {
      after = decodePageToken(query.page_token);
      if (after === null) throw errors.invalid("Invalid value for 'page_token': not a token this API returned.");
    }
    const options = { pageSize: query.page_size, after, search: query.search || undefined };
    const principal = c.get("principal");
    const stored = await listVisibleEndpoints(c.get("db"), principal, options);
    const page = withFoundationEndpoints(c.env, principal, stored, options);
    return c.json({
      endpoints: page.endpoints.map(({ row, level }) => toSummary(row, level)),
      ...(page.lastName !== undefined ? { next_page_token: encodePageToken(page.lastName) } : {}),
    });
  });
}

servingEndpointRoutes.get("/:name", async (c) => {
  const { row, level } = await loadEndpointForCaller(
    c.env,
    c.get("db"),
    c.get("principal"),
    c.req.param("name"),
    "CAN_VIEW",
  );
  return c.json(toDetailed(row, level, origin(c)));
});

servingEndpointRoutes.delete("/:name", async (c) => {
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_MANAGE");
  await schedulePayloadLogPurge(c.env, row.id);
  await db.delete(endpoints).where(eq(endpoints.id, row.id));
  await releaseDeletedEndpoint(db, c.env, [storedConfig(row), storedPendingConfig(row)]);
  await deleteEndpointSecrets(db, row.id);
  invalidateEndpointCache(row.name);
  return c.json({});
});

servingEndpointRoutes.put("/:name/config", async (c) => {
  const db = c.get("db");
  const principal = c.get("principal");
  const name = c.req.param("name");
  const { row, level } = await loadEndpointForCaller(c.env, db, principal, name, "CAN_MANAGE");
  const body = await readBody(c, endpointCoreConfigInput);
  requireNameOfPath(body.name, name);
  if (row.configUpdate === "IN_PROGRESS") throw updateInFlight(name);

  const version = row.configVersion + 1;
  const prepared = await prepareConfig(db, principal, row.id, body, version);
  const now = Date.now();
  // Compare-and-set on the version read above: of concurrent updates exactly one starts a deployment.
  // The credentials of the new config are stored only by that winner (their keys carry the version),
  // so a losing update can never overwrite the secrets the winning config will run with.
  const won = await db
    .update(endpoints)
    .set({
      pendingConfig: prepared.config,
      pendingStartedAt: now,
      configVersion: version,
      configUpdate: "IN_PROGRESS",
      updatedAt: now,
    })
    .where(
      and(
        eq(endpoints.id, row.id),
        eq(endpoints.configVersion, row.configVersion),
        ne(endpoints.configUpdate, "IN_PROGRESS"),
      ),
    )
    .returning({ configVersion: endpoints.configVersion });
  if (won.length === 0) {
    if (!(await findEndpointById(db, row.id))) throw endpointNotFound(name);
    throw updateInFlight(name);
  }
  try {
    await storeConfigSecrets(db, c.env, principal, row.id, prepared);
    await enqueueDeployment(c.env, { endpointId: row.id, configVersion: version });
  } catch (error) {
    // Undo our own claim only (the version we set), so the endpoint is left as it was.
    await db
      .update(endpoints)
      .set({
        pendingConfig: row.pendingConfig,
        pendingStartedAt: row.pendingStartedAt,
        configVersion: row.configVersion,
        configUpdate: row.configUpdate,
        updatedAt: row.updatedAt,
      })
      .where(and(eq(endpoints.id, row.id), eq(endpoints.configVersion, version)));
    if (error instanceof ApiError) throw error;
    throw errors.unavailable("Could not schedule the deployment of the new config; nothing was changed. Try again.", 1);
  }
  invalidateEndpointCache(name);
  return c.json(toDetailed(await reload(c, row.id), level, origin(c)));
});

function updateInFlight(name: string) {
  return errors.conflict(
    `Endpoint '${name}' is currently being updated; wait for ` +
      `config_update to leave IN_PROGRESS before updating it again.`,
  );
}

servingEndpointRoutes.put("/:name/ai-gateway", async (c) => {
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_MANAGE");
  const { name, ...gateway } = await readBody(c, putAiGatewayRequest);
  requireNameOfPath(name, row.name);
  const guardrailProblem = await guardrailConfigProblem(
    db,
    c.env,
    gateway.guardrails,
    storedConfig(row) ?? storedPendingConfig(row),
    c.get("principal"),
  );
  if (guardrailProblem) throw errors.invalid(guardrailProblem);
  await db.update(endpoints).set({ aiGateway: gateway, updatedAt: Date.now() }).where(eq(endpoints.id, row.id));
  invalidateEndpointCache(row.name);
  return c.json(gateway);
});

servingEndpointRoutes.put("/:name/rate-limits", async (c) => {
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_MANAGE");
  const body = await readBody(c, putRateLimitsRequest);
  requireNameOfPath(body.name, row.name);
  const rateLimits = body.rate_limits ?? [];
  await db.update(endpoints).set({ rateLimits, updatedAt: Date.now() }).where(eq(endpoints.id, row.id));
  invalidateEndpointCache(row.name);
  return c.json({ rate_limits: rateLimits });
});

servingEndpointRoutes.patch("/:name/tags", async (c) => {
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_MANAGE");
  const body = await readBody(c, patchTagsRequest);
  requireNameOfPath(body.name, row.name);
  const tags = new Map(((row.tags as EndpointTag[] | null) ?? []).map((t) => [t.key, t]));
  for (const key of body.delete_tags ?? []) tags.delete(key);
  for (const tag of body.add_tags ?? []) tags.set(tag.key, tag);
  if (tags.size > 50) throw errors.invalid("An endpoint can have at most 50 tags.");
  const list = [...tags.values()];
  await db.update(endpoints).set({ tags: list, updatedAt: Date.now() }).where(eq(endpoints.id, row.id));
  return c.json({ tags: list });
});

servingEndpointRoutes.patch("/:name/notifications", async (c) => {
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_MANAGE");
  const body = await readBody(c, patchNotificationsRequest);
  requireNameOfPath(body.name, row.name);
  const notifications = body.email_notifications ?? {};
  await db
    .update(endpoints)
    .set({ emailNotifications: notifications, updatedAt: Date.now() })
    .where(eq(endpoints.id, row.id));
  return c.json({ name: row.name, email_notifications: notifications });
});

servingEndpointRoutes.patch("/:name/telemetry-config", async (c) => {
  const db = c.get("db");
  const { row, level } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_MANAGE");
  const body = await readBody(c, patchTelemetryConfigRequest);
  requireNameOfPath(body.name, row.name);
  await db
    .update(endpoints)
    .set({ telemetryConfig: body.telemetry_config ?? {}, updatedAt: Date.now() })
    .where(eq(endpoints.id, row.id));
  return c.json(toDetailed(await reload(c, row.id), level, origin(c)));
});

for (const [suffix, kind] of [
  ["logs", "service"],
  ["build-logs", "build"],
] as const) {
  servingEndpointRoutes.get(`/:name/served-models/:entity/${suffix}`, async (c) => {
    const db = c.get("db");
    const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_VIEW");
    const entity = c.req.param("entity");
    const known = [storedConfig(row), storedPendingConfig(row)].some((cfg) =>
      cfg?.served_entities.some((e) => e.name === entity),
    );
    if (!known) throw errors.notFound(`Served model '${entity}' not found in endpoint '${row.name}'.`);
    return c.json({ logs: await readLog(db, row.id, entity, kind) });
  });
}

/** The endpoint's query schema as an OpenAPI document (loaded lazily: not needed on the hot path). */
servingEndpointRoutes.get("/:name/openapi", async (c) => {
  const { row } = await loadEndpointForCaller(c.env, c.get("db"), c.get("principal"), c.req.param("name"), "CAN_VIEW");
  const { buildEndpointQueryOpenApi } = await import("@edgeserve/api/openapi/index");
  const config = storedConfig(row) ?? storedPendingConfig(row);
  const signature = await querySignatureSchemas(c.env, c.get("db"), config);
  return c.json(
    buildEndpointQueryOpenApi(
      {
        name: row.name,
        task: row.task,
        servedEntityNames: config?.served_entities.map((e) => e.name) ?? [],
        ...(signature && { signature }),
      },
      origin(c),
    ),
  );
});
