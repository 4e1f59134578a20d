import { errors } from "@edgeserve/api";
import { type ReEncryptSecretsResponse, reEncryptSecretsRequest } from "@edgeserve/api/secrets";
import { Hono } from "hono";
import { invalidateEndpointCache } from "../endpoints/cache";
import type { AppEnv } from "../env";
import { readBody } from "../http/read-json";
import { type SecretPosition, reEncryptSecrets } from "../secrets/re-encrypt";

/** /api/2.0/edgeserve/master-key: rotating `EDGESERVE_MASTER_KEY` (an Edgeserve extension, admins only). */
export const masterKeyRoutes = new Hono<AppEnv>();

const DEFAULT_PAGE = 100;

function encodeToken(position: SecretPosition): string {
  return btoa(JSON.stringify([position.scope, position.key]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
}

function decodeToken(token: string): SecretPosition {
  try {
    const parsed: unknown = JSON.parse(atob(token.replaceAll("-", "+").replaceAll("_", "/")));
    if (Array.isArray(parsed) && typeof parsed[0] === "string" && typeof parsed[1] === "string" && parsed.length === 2)
      return { scope: parsed[0], key: parsed[1] };
  } catch {
    // fall through to the error below
  }
  throw errors.invalid("Invalid page_token: pass the next_page_token of the previous response unchanged.");
}

masterKeyRoutes.post("/re-encrypt", async (c) => {
  if (!c.get("principal").isAdmin) throw errors.permissionDenied("Only workspace admins can re-encrypt secrets.");
  const body = await readBody(c, reEncryptSecretsRequest);
  const after = body.page_token ? decodeToken(body.page_token) : undefined;
  const page = await reEncryptSecrets(c.get("db"), c.env, body.max_results ?? DEFAULT_PAGE, after);
  // Ciphertexts changed: endpoints cached here decrypt their credentials again from what is stored now.
  if (page.reEncrypted > 0) invalidateEndpointCache();
  const answer: ReEncryptSecretsResponse = {
    re_encrypted: page.reEncrypted,
    already_current: page.alreadyCurrent,
    undecryptable: page.undecryptable,
    ...(page.next ? { next_page_token: encodeToken(page.next) } : {}),
  };
  return c.json(answer);
});
