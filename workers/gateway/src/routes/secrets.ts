import { errors } from "@edgeserve/api";
import { RESERVED_SCOPE_PREFIX } from "../endpoints/config-secrets";
import {
  createScopeRequest,
  deleteAclRequest,
  deleteScopeRequest,
  deleteSecretRequest,
  emptyQuery,
  getAclQuery,
  getSecretQuery,
  listAclsQuery,
  listSecretsQuery,
  putAclRequest,
  putSecretRequest,
  SECRET_VALUE_MAX_BYTES,
  SECRETS_PER_SCOPE_MAX,
  type SecretPermission,
  secretPermissionRank,
} from "@edgeserve/api/secrets";
import { type Database, principals, secretAcls, secretScopes, secrets } from "@edgeserve/db";
import { and, asc, count, eq, inArray, isNull, or } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { type Principal, USERS_GROUP } from "../identity/principal";
import { invalidateEndpointCache } from "../endpoints/cache";
import { readBody, readQuery } from "../http/read-json";
import { fromBase64 } from "../secrets/crypto";
import { aclNamesOf, findScope, putSecretBytes, type ScopeRow, scopePermission } from "../secrets/store";

/** The Databricks Secrets API (/api/2.0/secrets). Values go in encrypted and never come back out. */
export const secretsRoutes = new Hono<AppEnv>();

/**
 * The scope, if the caller holds at least `needed` on it. Scopes owned by an endpoint are platform
 * internals: this API answers 404 for them, exactly as for a scope that does not exist.
 */
async function requireScope(
  db: Database,
  principal: Principal,
  name: string,
  needed: SecretPermission,
): Promise<ScopeRow> {
  const scope = await findScope(db, name);
  if (!scope || scope.ownerEndpointId !== null) throw errors.notFound(`Scope ${name} does not exist`);
  if (secretPermissionRank(await scopePermission(db, principal, scope)) < secretPermissionRank(needed))
    throw errors.permissionDenied(`${principal.name} does not have ${needed} permission on scope ${name}`);
  return scope;
}

function isUniqueViolation(e: unknown): boolean {
  const text = e instanceof Error ? `${e.message} ${e.cause instanceof Error ? e.cause.message : ""}` : "";
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text);
}

/**
 * A secret was written or removed: endpoints cached in this isolate drop the credentials they decrypted,
 * so this isolate uses the new value at once (others within EDGESERVE_CACHE_TTL_MS).
 */
function secretsChanged(): void {
  invalidateEndpointCache();
}

secretsRoutes.post("/scopes/create", async (c) => {
  const body = await readBody(c, createScopeRequest);
  // `endpoint-<id>` scopes hold endpoints' own credentials; users cannot squat on the name.
  if (body.scope.startsWith(RESERVED_SCOPE_PREFIX))
    throw errors.invalid(`Scope names starting with '${RESERVED_SCOPE_PREFIX}' are reserved for endpoint credentials.`);
  const db = c.get("db");
  const principal = c.get("principal");
  if (await findScope(db, body.scope)) throw errors.alreadyExists(`Scope ${body.scope} already exists`);
  const acls: { scope: string; principal: string; permission: SecretPermission }[] = [
    { scope: body.scope, principal: principal.name, permission: "MANAGE" },
  ];
  if (body.initial_manage_principal === USERS_GROUP && principal.name !== USERS_GROUP)
    acls.push({ scope: body.scope, principal: USERS_GROUP, permission: "MANAGE" });
  try {
    await db.batch([
      db.insert(secretScopes).values({ name: body.scope, creatorId: principal.id }),
      db.insert(secretAcls).values(acls),
    ]);
  } catch (e) {
    if (isUniqueViolation(e)) throw errors.alreadyExists(`Scope ${body.scope} already exists`);
    throw e;
  }
  return c.json({});
});

secretsRoutes.post("/scopes/delete", async (c) => {
  const body = await readBody(c, deleteScopeRequest);
  const db = c.get("db");
  await requireScope(db, c.get("principal"), body.scope, "MANAGE");
  await db.batch([
    db.delete(secrets).where(eq(secrets.scope, body.scope)),
    db.delete(secretAcls).where(eq(secretAcls.scope, body.scope)),
    db.delete(secretScopes).where(and(eq(secretScopes.name, body.scope), isNull(secretScopes.ownerEndpointId))),
  ]);
  secretsChanged();
  return c.json({});
});

secretsRoutes.get("/scopes/list", async (c) => {
  readQuery(c, emptyQuery);
  const db = c.get("db");
  const principal = c.get("principal");
  const readable = principal.isAdmin
    ? isNull(secretScopes.ownerEndpointId)
    : and(
        isNull(secretScopes.ownerEndpointId),
        or(
          eq(secretScopes.creatorId, principal.id),
          inArray(
            secretScopes.name,
            db
              .select({ scope: secretAcls.scope })
              .from(secretAcls)
              .where(inArray(secretAcls.principal, aclNamesOf(principal))),
          ),
        ),
      );
  const rows = await db
    .select({ name: secretScopes.name })
    .from(secretScopes)
    .where(readable)
    .orderBy(asc(secretScopes.name));
  return c.json({ scopes: rows.map((r) => ({ name: r.name, backend_type: "DATABRICKS" as const })) });
});

secretsRoutes.post("/put", async (c) => {
  const body = await readBody(c, putSecretRequest);
  let value: Uint8Array;
  let field: string;
  if (body.bytes_value !== undefined) {
    field = "bytes_value";
    const decoded = fromBase64(body.bytes_value);
    if (!decoded) throw errors.invalid("bytes_value must be base64-encoded");
    value = decoded;
  } else {
    field = "string_value";
    value = new TextEncoder().encode(body.string_value ?? "");
  }
  if (value.byteLength > SECRET_VALUE_MAX_BYTES)
    throw errors.invalid(`${field} exceeds the maximum secret size of ${SECRET_VALUE_MAX_BYTES / 1024} KB`);
  const db = c.get("db");
  await requireScope(db, c.get("principal"), body.scope, "WRITE");
  const existing = await db
    .select({ key: secrets.key })
    .from(secrets)
    .where(and(eq(secrets.scope, body.scope), eq(secrets.key, body.key)))
    .limit(1);
  if (!existing[0]) {
    const [row] = await db.select({ n: count() }).from(secrets).where(eq(secrets.scope, body.scope));
    if ((row?.n ?? 0) >= SECRETS_PER_SCOPE_MAX)
      throw errors.tooLarge(`Scope ${body.scope} already holds the maximum of ${SECRETS_PER_SCOPE_MAX} secrets`);
  }
  await putSecretBytes(db, c.env, body.scope, body.key, value);
  secretsChanged();
  return c.json({});
});

secretsRoutes.post("/delete", async (c) => {
  const body = await readBody(c, deleteSecretRequest);
  const db = c.get("db");
  await requireScope(db, c.get("principal"), body.scope, "WRITE");
  const deleted = await db
    .delete(secrets)
    .where(and(eq(secrets.scope, body.scope), eq(secrets.key, body.key)))
    .returning({ key: secrets.key });
  if (deleted.length === 0) throw errors.notFound(`Secret ${body.key} does not exist in scope ${body.scope}`);
  secretsChanged();
  return c.json({});
});

secretsRoutes.get("/list", async (c) => {
  const query = readQuery(c, listSecretsQuery);
  const db = c.get("db");
  await requireScope(db, c.get("principal"), query.scope, "READ");
  const rows = await db
    .select({ key: secrets.key, updatedAt: secrets.updatedAt })
    .from(secrets)
    .where(eq(secrets.scope, query.scope))
    .orderBy(asc(secrets.key));
  return c.json({ secrets: rows.map((r) => ({ key: r.key, last_updated_timestamp: r.updatedAt })) });
});

/**
 * Deliberate hardening: Databricks serves values here (to DBUtils in notebooks), but Edgeserve has no
 * notebooks. Values are only ever resolved inside the gateway when a query needs them, so a leaked
 * token can use a credential through an endpoint it may query but can never read the credential itself.
 */
secretsRoutes.get("/get", (c) => {
  readQuery(c, getSecretQuery);
  throw errors.permissionDenied("Secret values cannot be read through the API");
});

secretsRoutes.post("/acls/put", async (c) => {
  const body = await readBody(c, putAclRequest);
  const db = c.get("db");
  await requireScope(db, c.get("principal"), body.scope, "MANAGE");
  if (body.principal !== USERS_GROUP) {
    const known = await db
      .select({ id: principals.id })
      .from(principals)
      .where(eq(principals.name, body.principal))
      .limit(1);
    if (!known[0]) throw errors.notFound(`Principal ${body.principal} does not exist`);
  }
  await db
    .insert(secretAcls)
    .values({ scope: body.scope, principal: body.principal, permission: body.permission })
    .onConflictDoUpdate({ target: [secretAcls.scope, secretAcls.principal], set: { permission: body.permission } });
  return c.json({});
});

secretsRoutes.post("/acls/delete", async (c) => {
  const body = await readBody(c, deleteAclRequest);
  const db = c.get("db");
  await requireScope(db, c.get("principal"), body.scope, "MANAGE");
  const deleted = await db
    .delete(secretAcls)
    .where(and(eq(secretAcls.scope, body.scope), eq(secretAcls.principal, body.principal)))
    .returning({ principal: secretAcls.principal });
  if (deleted.length === 0)
    throw errors.notFound(`ACL for principal ${body.principal} does not exist in scope ${body.scope}`);
  return c.json({});
});

secretsRoutes.get("/acls/get", async (c) => {
  const query = readQuery(c, getAclQuery);
  const db = c.get("db");
  await requireScope(db, c.get("principal"), query.scope, "READ");
  const rows = await db
    .select({ principal: secretAcls.principal, permission: secretAcls.permission })
    .from(secretAcls)
    .where(and(eq(secretAcls.scope, query.scope), eq(secretAcls.principal, query.principal)))
    .limit(1);
  if (!rows[0]) throw errors.notFound(`ACL for principal ${query.principal} does not exist in scope ${query.scope}`);
  return c.json(rows[0]);
});

secretsRoutes.get("/acls/list", async (c) => {
  const query = readQuery(c, listAclsQuery);
  const db = c.get("db");
  await requireScope(db, c.get("principal"), query.scope, "READ");
  const rows = await db
    .select({ principal: secretAcls.principal, permission: secretAcls.permission })
    .from(secretAcls)
    .where(eq(secretAcls.scope, query.scope))
    .orderBy(asc(secretAcls.principal));
  return c.json({ items: rows });
});
