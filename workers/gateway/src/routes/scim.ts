import { errors } from "@edgeserve/api";
import { scimListQuery, scimPatchRequest } from "@edgeserve/api/identity";
import type { Database } from "@edgeserve/db";
import { Hono } from "hono";
import { invalidateEndpointCache } from "../endpoints/cache";
import type { AppEnv } from "../env";
import { readBody, readQuery } from "../http/read-json";
import { invalidateTokenCache } from "../identity/authenticate-token";
import { ensureBootstrap } from "../identity/bootstrap";
import { checkBuiltinChange, checkBuiltinDelete } from "../identity/scim/builtins";
import { parseEqFilter } from "../identity/scim/filter";
import { applyPatch } from "../identity/scim/patch";
import { listResponse, renderPrincipal } from "../identity/scim/render";
import {
  type ScimResource,
  filterCondition,
  groupsResource,
  servicePrincipalsResource,
  usersResource,
} from "../identity/scim/resources";
import { requireAdmin } from "../identity/scim/require-admin";
import {
  type PrincipalRow,
  deletePrincipal,
  draftOf,
  findRow,
  listRows,
  loadLinks,
  savePrincipal,
} from "../identity/scim/store";

/**
 * The SCIM v2 subset of Databricks (/api/2.0/preview/scim/v2): Users, Groups, ServicePrincipals and Me.
 * Anyone authenticated may read; only admins may write.
 */
export const scimRoutes = new Hono<AppEnv>();

/** SCIM's default page is "everything"; this bounds one response. */
const MAX_PAGE = 10_000;

scimRoutes.use("*", async (c, next) => {
  await ensureBootstrap(c.get("db"));
  await next();
});

async function render(db: Database, row: PrincipalRow) {
  const links = await loadLinks(db, [row]);
  return renderPrincipal(row, links.get(row.id) ?? []);
}

scimRoutes.get("/Me", async (c) => {
  const principal = c.get("principal");
  const db = c.get("db");
  const row = await findRow(db, principal.kind, principal.id);
  if (!row) throw errors.notFound("The calling principal does not exist.");
  return c.json(await render(db, row));
});

function resourceRoutes(resource: ScimResource) {
  const routes = new Hono<AppEnv>();
  const notFound = (id: string) => errors.notFound(`${resource.label} with id ${id} not found.`);

  async function existing(db: Database, id: string) {
    const row = await findRow(db, resource.kind, id);
    if (!row) throw notFound(id);
    const links = await loadLinks(db, [row]);
    return { row, draft: draftOf(row, links.get(row.id) ?? []) };
  }

  async function afterWrite(db: Database, id: string) {
    invalidateTokenCache();
    const row = await findRow(db, resource.kind, id);
    return render(db, row!);
  }

  routes.get("/", async (c) => {
    const query = readQuery(c, scimListQuery);
    const db = c.get("db");
    const where = query.filter
      ? filterCondition(resource, parseEqFilter(query.filter, Object.keys(resource.filters)))
      : undefined;
    const startIndex = Math.max(1, query.startIndex ?? 1);
    const limit = Math.min(query.count ?? MAX_PAGE, MAX_PAGE);
    const { total, rows } = await listRows(db, resource.kind, where, startIndex - 1, limit);
    const links = await loadLinks(db, rows);
    return c.json(
      listResponse(
        rows.map((r) => renderPrincipal(r, links.get(r.id) ?? [])),
        total,
        startIndex,
      ),
    );
  });

  routes.get("/:id", async (c) => {
    const db = c.get("db");
    const row = await findRow(db, resource.kind, c.req.param("id"));
    if (!row) throw notFound(c.req.param("id"));
    return c.json(await render(db, row));
  });

  routes.post("/", async (c) => {
    requireAdmin(c.get("principal"), `create ${resource.plural}`);
    const body = await readBody(c, resource.body);
    const db = c.get("db");
    const draft = resource.draft(body, null);
    await savePrincipal(db, null, draft);
    return c.json(await afterWrite(db, draft.id), 201);
  });

  routes.put("/:id", async (c) => {
    requireAdmin(c.get("principal"), `update ${resource.plural}`);
    const body = await readBody(c, resource.body);
    const db = c.get("db");
    const { draft: before } = await existing(db, c.req.param("id"));
    const after = resource.draft(body, before);
    checkBuiltinChange(before, after);
    await savePrincipal(db, before, after);
    return c.json(await afterWrite(db, before.id));
  });

  routes.patch("/:id", async (c) => {
    requireAdmin(c.get("principal"), `update ${resource.plural}`);
    const body = await readBody(c, scimPatchRequest);
    const db = c.get("db");
    const { draft: before } = await existing(db, c.req.param("id"));
    const after = applyPatch(before, body.Operations);
    checkBuiltinChange(before, after);
    await savePrincipal(db, before, after);
    return c.json(await afterWrite(db, before.id));
  });

  routes.delete("/:id", async (c) => {
    requireAdmin(c.get("principal"), `delete ${resource.plural}`);
    const db = c.get("db");
    const { row } = await existing(db, c.req.param("id"));
    checkBuiltinDelete(row.id, row.name);
    await deletePrincipal(db, row.id);
    invalidateTokenCache();
    // Its endpoint grants are gone with it.
    invalidateEndpointCache();
    return c.body(null, 204);
  });

  return routes;
}

scimRoutes.route("/Users", resourceRoutes(usersResource));
scimRoutes.route("/Groups", resourceRoutes(groupsResource));
scimRoutes.route("/ServicePrincipals", resourceRoutes(servicePrincipalsResource));
