import { errors } from "@edgeserve/api";
import { createOboTokenRequest, listTokensQuery } from "@edgeserve/api/identity";
import { principals, tokens } from "@edgeserve/db";
import { and, asc, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { readBody, readQuery } from "../http/read-json";
import { invalidateTokenCache } from "../identity/authenticate-token";
import { requireAdmin } from "../identity/scim/require-admin";
import { type TokenRow, issueToken, tokenInfo } from "../identity/tokens/issue-token";

/**
 * Token management for admins (/api/2.0/token-management): tokens of any principal, and tokens
 * issued on behalf of service principals (or, as an Edgeserve extension, of users).
 *
 * `created_by_*` describe the token's owner: Edgeserve does not record who issued a token.
 */
export const tokenManagementRoutes = new Hono<AppEnv>();

tokenManagementRoutes.use("*", async (c, next) => {
  requireAdmin(c.get("principal"), "manage tokens");
  await next();
});

function managedTokenInfo(row: TokenRow, ownerName: string) {
  return {
    ...tokenInfo(row),
    created_by_id: row.principalId,
    created_by_username: ownerName,
    owner_id: row.principalId,
  };
}

tokenManagementRoutes.post("/on-behalf-of/tokens", async (c) => {
  const body = await readBody(c, createOboTokenRequest);
  const db = c.get("db");
  const [kind, name, label] =
    body.application_id !== undefined
      ? (["service_principal", body.application_id, "Service principal with application id"] as const)
      : (["user", body.user_name!, "User"] as const);
  const nameMatch = kind === "user" ? sql`lower(${principals.name}) = lower(${name})` : eq(principals.name, name);
  const [owner] = await db
    .select({ id: principals.id, name: principals.name, active: principals.active })
    .from(principals)
    .where(and(eq(principals.kind, kind), nameMatch))
    .limit(1);
  if (!owner) throw errors.notFound(`${label} ${name} does not exist.`);
  if (!owner.active) throw errors.invalid(`${label} ${name} is not active.`);
  const { tokenValue, row } = await issueToken(db, owner.id, {
    lifetimeSeconds: body.lifetime_seconds,
    comment: body.comment,
  });
  return c.json({ token_value: tokenValue, token_info: managedTokenInfo(row, owner.name) });
});

tokenManagementRoutes.get("/tokens", async (c) => {
  const query = readQuery(c, listTokensQuery);
  const filters = [];
  if (query.created_by_id) filters.push(eq(tokens.principalId, query.created_by_id));
  if (query.created_by_username) filters.push(eq(principals.name, query.created_by_username));
  const rows = await c
    .get("db")
    .select({ token: tokens, ownerName: principals.name })
    .from(tokens)
    .innerJoin(principals, eq(tokens.principalId, principals.id))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(asc(tokens.createdAt), asc(tokens.id));
  return c.json({ token_infos: rows.map((r) => managedTokenInfo(r.token, r.ownerName)) });
});

tokenManagementRoutes.get("/tokens/:token_id", async (c) => {
  const tokenId = c.req.param("token_id");
  const [row] = await c
    .get("db")
    .select({ token: tokens, ownerName: principals.name })
    .from(tokens)
    .innerJoin(principals, eq(tokens.principalId, principals.id))
    .where(eq(tokens.id, tokenId))
    .limit(1);
  if (!row) throw errors.notFound(`Token with id ${tokenId} does not exist.`);
  return c.json({ token_info: managedTokenInfo(row.token, row.ownerName) });
});

tokenManagementRoutes.delete("/tokens/:token_id", async (c) => {
  const tokenId = c.req.param("token_id");
  const deleted = await c.get("db").delete(tokens).where(eq(tokens.id, tokenId)).returning({ id: tokens.id });
  if (deleted.length === 0) throw errors.notFound(`Token with id ${tokenId} does not exist.`);
  invalidateTokenCache();
  return c.json({});
});
