import { errors } from "@edgeserve/api";
import { createTokenRequest, deleteTokenRequest } from "@edgeserve/api/identity";
import { tokens } from "@edgeserve/db";
import { and, asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { readBody } from "../http/read-json";
import { invalidateTokenCache } from "../identity/authenticate-token";
import { issueToken, tokenInfo } from "../identity/tokens/issue-token";

/** Personal access tokens of the caller (Databricks Token API, /api/2.0/token). */
export const tokensRoutes = new Hono<AppEnv>();

tokensRoutes.post("/create", async (c) => {
  const body = await readBody(c, createTokenRequest);
  const { tokenValue, row } = await issueToken(c.get("db"), c.get("principal").id, {
    lifetimeSeconds: body.lifetime_seconds,
    comment: body.comment,
  });
  return c.json({ token_value: tokenValue, token_info: tokenInfo(row) });
});

tokensRoutes.get("/list", async (c) => {
  const rows = await c
    .get("db")
    .select()
    .from(tokens)
    .where(eq(tokens.principalId, c.get("principal").id))
    .orderBy(asc(tokens.createdAt), asc(tokens.id));
  return c.json({ token_infos: rows.map(tokenInfo) });
});

tokensRoutes.post("/delete", async (c) => {
  const { token_id } = await readBody(c, deleteTokenRequest);
  const deleted = await c
    .get("db")
    .delete(tokens)
    .where(and(eq(tokens.id, token_id), eq(tokens.principalId, c.get("principal").id)))
    .returning({ id: tokens.id });
  if (deleted.length === 0) throw errors.notFound(`Token with id ${token_id} does not exist.`);
  invalidateTokenCache();
  return c.json({});
});
