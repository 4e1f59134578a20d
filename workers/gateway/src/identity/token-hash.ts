import { sha256Hex } from "../hex";
import { newHexId } from "../ids";

/** Tokens are stored only as SHA-256 hex digests. */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  let diff = ea.length ^ eb.length;
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) diff |= (ea[i] ?? 0) ^ (eb[i] ?? 0);
  return diff === 0;
}

/** A new personal access token: `dapi` + 32 hex characters, like Databricks'. */
export function newTokenValue(): string {
  return `dapi${newHexId(16)}`;
}
