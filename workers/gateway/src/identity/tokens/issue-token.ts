import { type Database, tokens } from "@edgeserve/db";
import { newHexId } from "../../ids";
import { hashToken, newTokenValue } from "../token-hash";

export type TokenRow = typeof tokens.$inferSelect;

/** The public description of a token, as /token/list and /token/create answer it (never the value). */
export interface TokenInfo {
  token_id: string;
  creation_time: number;
  expiry_time: number;
  comment: string;
}

export function tokenInfo(row: TokenRow): TokenInfo {
  return { token_id: row.id, creation_time: row.createdAt, expiry_time: row.expiresAt, comment: row.comment };
}

/**
 * Creates a token for `principalId` and returns its value once; only its SHA-256 is stored.
 * A lifetime that is absent, 0 or -1 never expires (expiry_time -1, as Databricks reports it).
 */
export async function issueToken(
  db: Database,
  principalId: string,
  options: { lifetimeSeconds?: number; comment?: string } = {},
): Promise<{ tokenValue: string; row: TokenRow }> {
  const tokenValue = newTokenValue();
  const now = Date.now();
  const lifetime = options.lifetimeSeconds ?? 0;
  const row: TokenRow = {
    // 64 hex characters, the shape of Databricks token ids.
    id: newHexId(32),
    principalId,
    tokenHash: await hashToken(tokenValue),
    comment: options.comment ?? "",
    createdAt: now,
    expiresAt: lifetime > 0 ? now + lifetime * 1000 : -1,
  };
  await db.insert(tokens).values(row);
  return { tokenValue, row };
}
