import { ApiError } from "@edgeserve/api";

export interface ServiceAccountKey {
  clientEmail: string;
  /** PKCS#8 PEM, as Google's key files carry it. */
  privateKey: string;
  privateKeyId?: string;
}

function unusable(why: string): ApiError {
  // The endpoint's configuration is at fault, not the caller: a 5xx, and never the key itself.
  return new ApiError(
    "BAD_GATEWAY",
    `The private_key of this google-cloud-vertex-ai endpoint is not usable: ` +
      `${why} Ask the endpoint's owner to store the service account's JSON key file.`,
    {
      status: 502,
    },
  );
}

/**
 * `private_key` holds the service account's JSON key file (what `gcloud iam service-accounts keys
 * create` downloads): its `client_email` is the identity the JWT is issued for, its `private_key`
 * signs it and its `private_key_id` becomes the JWT's `kid`. A bare PEM key is refused: Google's token
 * endpoint needs the service account's email as the issuer and a PEM carries no identity.
 */
export function parseServiceAccountKey(secret: string): ServiceAccountKey {
  const text = secret.trim();
  if (text.startsWith("-----BEGIN"))
    throw unusable("it is a bare PEM private key, which names no service account (client_email).");
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw unusable("it is neither a service-account JSON key file nor a PEM key.");
  }
  if (!json || typeof json !== "object") throw unusable("it is not a JSON object.");
  if (json.type !== undefined && json.type !== "service_account")
    throw unusable(`its type is '${String(json.type)}', not 'service_account'.`);
  if (typeof json.client_email !== "string" || !json.client_email) throw unusable("it has no client_email.");
  if (typeof json.private_key !== "string" || !json.private_key.includes("BEGIN PRIVATE KEY"))
    throw unusable("its private_key is not a PKCS#8 PEM key.");
  return {
    clientEmail: json.client_email,
    privateKey: json.private_key,
    ...(typeof json.private_key_id === "string" && json.private_key_id ? { privateKeyId: json.private_key_id } : {}),
  };
}
