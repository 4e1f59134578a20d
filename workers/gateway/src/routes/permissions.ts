import {
  type AccessControlRequest,
  PERMISSION_LEVELS,
  PERMISSION_LEVEL_DESCRIPTIONS,
  type PermissionLevel,
  errors,
  permissionRank,
  type permissionsResponse,
  setPermissionsRequest,
  strongerLevel,
} from "@edgeserve/api";
import { type Database, endpoints, principals } from "@edgeserve/db";
import { eq, inArray } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { z } from "zod";
import { invalidateEndpointCache } from "../endpoints/cache";
import type { AppEnv } from "../env";
import { readBody } from "../http/read-json";
import { ensureBootstrap } from "../identity/bootstrap";
import { ADMINS_GROUP } from "../identity/principal";
import { type PrincipalRow, findRowByName } from "../identity/scim/store";
import { type AclEntry, requireLevel } from "../permissions/endpoint-access";
import { loadEndpointAcl, writeEndpointAcl } from "../permissions/endpoint-acl-store";

/**
 * Serving-endpoint permissions (/api/2.0/permissions/serving-endpoints/{id}), {id} being the
 * endpoint's hex id. Reading needs CAN_VIEW, changing needs CAN_MANAGE; admins have CAN_MANAGE on
 * every endpoint, which the response shows as inherited from "/serving-endpoints/".
 */
export const permissionsRoutes = new Hono<AppEnv>();

type PermissionsResponse = z.infer<typeof permissionsResponse>;
type AclResponseEntry = PermissionsResponse["access_control_list"][number];

interface EndpointRef {
  id: string;
  name: string;
  creatorId: string;
}

async function loadEndpoint(db: Database, id: string): Promise<EndpointRef> {
  const rows = await db
    .select({ id: endpoints.id, name: endpoints.name, creatorId: endpoints.creatorId })
    .from(endpoints)
    .where(eq(endpoints.id, id))
    .limit(1);
  if (!rows[0]) throw errors.notFound(`Serving endpoint with id ${id} does not exist.`);
  return rows[0];
}

async function principalsById(db: Database, ids: readonly string[]): Promise<Map<string, PrincipalRow>> {
  const out = new Map<string, PrincipalRow>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select()
      .from(principals)
      .where(inArray(principals.id, ids.slice(i, i + 90)));
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

function nameField(row: PrincipalRow): Pick<AclResponseEntry, "user_name" | "group_name" | "service_principal_name"> {
  if (row.kind === "user") return { user_name: row.name };
  if (row.kind === "group") return { group_name: row.name };
  return { service_principal_name: row.name };
}

const KIND_ORDER = { user: 0, group: 1, service_principal: 2 } as const;

async function renderPermissions(
  db: Database,
  endpoint: EndpointRef,
  acl: readonly AclEntry[],
): Promise<PermissionsResponse> {
  const rows = await principalsById(
    db,
    acl.map((e) => e.principalId),
  );
  const entries = acl
    .map((e) => ({ row: rows.get(e.principalId), level: e.level }))
    .filter((e): e is { row: PrincipalRow; level: PermissionLevel } => e.row !== undefined)
    .sort((a, b) => KIND_ORDER[a.row.kind] - KIND_ORDER[b.row.kind] || a.row.name.localeCompare(b.row.name));
  const list: AclResponseEntry[] = entries.map(({ row, level }) => ({
    ...nameField(row),
    display_name: row.displayName,
    all_permissions: [{ permission_level: level, inherited: false }],
  }));
  // Admins manage every endpoint through the workspace-level object.
  const inherited = {
    permission_level: "CAN_MANAGE" as const,
    inherited: true,
    inherited_from_object: ["/serving-endpoints/"],
  };
  const admins = list.find((e) => e.group_name === ADMINS_GROUP);
  if (admins) admins.all_permissions.push(inherited);
  else list.push({ group_name: ADMINS_GROUP, display_name: ADMINS_GROUP, all_permissions: [inherited] });
  return { object_id: `/serving-endpoints/${endpoint.id}`, object_type: "serving-endpoint", access_control_list: list };
}

const NAME_FIELDS = [
  ["user_name", "user", "User"],
  ["group_name", "group", "Group"],
  ["service_principal_name", "service_principal", "Service principal"],
] as const;

/**
 * Resolves names to principal ids (400 naming the entry for unknown ones); a principal named twice gets the stronger
 * level.
 */
async function resolveEntries(
  db: Database,
  requests: readonly AccessControlRequest[],
): Promise<Map<string, PermissionLevel>> {
  const out = new Map<string, PermissionLevel>();
  for (const [i, request] of requests.entries()) {
    const [field, kind, label] = NAME_FIELDS.find(([f]) => request[f] !== undefined)!;
    const name = request[field]!;
    const row = await findRowByName(db, kind, name);
    if (!row)
      throw errors.invalid(
        `Invalid value for 'access_control_list[${i}].${field}': ${label} '${name}' does not exist.`,
      );
    out.set(row.id, strongerLevel(out.get(row.id) ?? null, request.permission_level)!);
  }
  return out;
}

async function setPermissions(c: Context<AppEnv>, mode: "replace" | "merge") {
  const db = c.get("db");
  const id = c.req.param("id")!;
  const endpoint = await loadEndpoint(db, id);
  const acl = await loadEndpointAcl(db, endpoint.id);
  requireLevel(c.get("principal"), acl, "CAN_MANAGE", endpoint.name);
  const body = await readBody(c, setPermissionsRequest);
  if (body.serving_endpoint_id !== undefined && body.serving_endpoint_id !== endpoint.id) {
    throw errors.invalid("Invalid value for 'serving_endpoint_id': it does not match the endpoint in the path.");
  }
  const levels = await resolveEntries(db, body.access_control_list ?? []);
  // The creator keeps CAN_MANAGE, as an endpoint's owner does in Databricks.
  const creatorManages = acl.some((e) => e.principalId === endpoint.creatorId && e.level === "CAN_MANAGE");
  if (creatorManages && permissionRank(levels.get(endpoint.creatorId)) < permissionRank("CAN_MANAGE")) {
    levels.set(endpoint.creatorId, "CAN_MANAGE");
  }
  const entries: AclEntry[] = [...levels].map(([principalId, level]) => ({ principalId, level }));
  await writeEndpointAcl(db, endpoint.id, entries, mode);
  invalidateEndpointCache(endpoint.name);
  return c.json(await renderPermissions(db, endpoint, await loadEndpointAcl(db, endpoint.id)));
}

permissionsRoutes.use("*", async (c, next) => {
  await ensureBootstrap(c.get("db"));
  await next();
});

permissionsRoutes.get("/:id/permissionLevels", async (c) => {
  const db = c.get("db");
  const endpoint = await loadEndpoint(db, c.req.param("id"));
  requireLevel(c.get("principal"), await loadEndpointAcl(db, endpoint.id), "CAN_VIEW", endpoint.name);
  return c.json({
    permission_levels: PERMISSION_LEVELS.map((level) => ({
      permission_level: level,
      description: PERMISSION_LEVEL_DESCRIPTIONS[level],
    })),
  });
});

permissionsRoutes.get("/:id", async (c) => {
  const db = c.get("db");
  const endpoint = await loadEndpoint(db, c.req.param("id"));
  const acl = await loadEndpointAcl(db, endpoint.id);
  requireLevel(c.get("principal"), acl, "CAN_VIEW", endpoint.name);
  return c.json(await renderPermissions(db, endpoint, acl));
});

permissionsRoutes.put("/:id", (c) => setPermissions(c, "replace"));
permissionsRoutes.patch("/:id", (c) => setPermissions(c, "merge"));
