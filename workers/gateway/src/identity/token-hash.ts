/** Tokens are stored only as SHA-256 hex digests. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
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
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dapi${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
