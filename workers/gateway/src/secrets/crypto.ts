/**
 * Secret values at rest: AES-256-GCM under the master key `EDGESERVE_MASTER_KEY`.
 * Each value gets a fresh 12-byte IV, and `scope/key` is bound in as additional authenticated data,
 * so a ciphertext copied to another row (another scope or key) fails to decrypt.
 */

/** A misconfigured master key. Its message names the problem, never the key itself. */
export class MasterKeyError extends Error {
  override readonly name = "MasterKeyError";
}

/** Raised when a stored value fails authentication (tampered, moved, or encrypted under another key). */
export class SecretDecryptionError extends Error {
  override readonly name = "SecretDecryptionError";
}

export interface EncryptedValue {
  /** base64 of the GCM ciphertext including its 16-byte tag. */
  ciphertext: string;
  /** base64 of the 12-byte IV. */
  iv: string;
}

const IV_BYTES = 12;
const KEY_BYTES = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Strict standard base64 (padding required); null if `text` is not valid base64. */
export function fromBase64(text: string): Uint8Array | null {
  if (!BASE64.test(text)) return null;
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Decodes the master key: 64 hex characters or base64 of exactly 32 bytes. */
export function parseMasterKey(raw: string | undefined): Uint8Array {
  const text = raw?.trim();
  if (!text) throw new MasterKeyError("EDGESERVE_MASTER_KEY is not set; it is needed to encrypt and decrypt secrets.");
  if (HEX_KEY.test(text)) {
    const out = new Uint8Array(KEY_BYTES);
    for (let i = 0; i < KEY_BYTES; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
  const decoded = fromBase64(text) ?? fromBase64(text.replace(/-/g, "+").replace(/_/g, "/"));
  if (decoded && decoded.length === KEY_BYTES) return decoded;
  throw new MasterKeyError(
    "EDGESERVE_MASTER_KEY is invalid: it must be 32 bytes encoded as base64 (44 characters) or as 64 hex characters.",
  );
}

type MasterKeySettings = { EDGESERVE_MASTER_KEY?: string; EDGESERVE_MASTER_KEY_PREVIOUS?: string };

/** An imported key, cached per isolate by its raw setting, so a changed binding is picked up. */
const imported = new Map<string, Promise<CryptoKey>>();

function importMasterKey(raw: string, setting: string): Promise<CryptoKey> {
  let key = imported.get(raw);
  if (key) return key;
  let bytes: Uint8Array;
  try {
    bytes = parseMasterKey(raw);
  } catch (e) {
    // Same rules for the previous key, but the message must say which setting is wrong.
    throw setting === "EDGESERVE_MASTER_KEY"
      ? e
      : new MasterKeyError(String((e as Error).message).replace("EDGESERVE_MASTER_KEY", setting));
  }
  key = crypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  imported.set(raw, key);
  key.catch(() => imported.delete(raw));
  return key;
}

/** The key new values are sealed with. */
function masterKey(env: MasterKeySettings): Promise<CryptoKey> {
  return importMasterKey(env.EDGESERVE_MASTER_KEY ?? "", "EDGESERVE_MASTER_KEY");
}

/**
 * Keys a stored value may be sealed with, current first. During a master-key rotation
 * `EDGESERVE_MASTER_KEY_PREVIOUS` holds the old key, so values not yet re-encrypted still open.
 */
async function decryptionKeys(env: MasterKeySettings): Promise<CryptoKey[]> {
  const previous = env.EDGESERVE_MASTER_KEY_PREVIOUS?.trim();
  return Promise.all([
    masterKey(env),
    ...(previous ? [importMasterKey(previous, "EDGESERVE_MASTER_KEY_PREVIOUS")] : []),
  ]);
}

/** Additional authenticated data: binds a ciphertext to its scope and key (names cannot contain "/"). */
export function secretAad(scope: string, key: string): Uint8Array {
  return new TextEncoder().encode(`${scope}/${key}`);
}

export async function encryptSecret(
  env: MasterKeySettings,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Promise<EncryptedValue> {
  const key = await masterKey(env);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, plaintext);
  return { ciphertext: toBase64(new Uint8Array(sealed)), iv: toBase64(iv) };
}

/** A decrypted value, and whether it was sealed with the current master key (false: the previous one). */
export interface OpenedSecret {
  plaintext: Uint8Array;
  underCurrentKey: boolean;
}

export async function openSecret(
  env: MasterKeySettings,
  aad: Uint8Array,
  value: EncryptedValue,
): Promise<OpenedSecret> {
  const keys = await decryptionKeys(env);
  const iv = fromBase64(value.iv);
  const sealed = fromBase64(value.ciphertext);
  if (!iv || iv.length !== IV_BYTES || !sealed) throw new SecretDecryptionError("Stored secret is malformed.");
  for (const [index, key] of keys.entries()) {
    try {
      const plaintext = new Uint8Array(
        await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, key, sealed),
      );
      return { plaintext, underCurrentKey: index === 0 };
    } catch {
      // Not this key: try the next one.
    }
  }
  throw new SecretDecryptionError(
    "Stored secret failed authentication (tampered, moved, or under another master key).",
  );
}

export async function decryptSecret(
  env: MasterKeySettings,
  aad: Uint8Array,
  value: EncryptedValue,
): Promise<Uint8Array> {
  return (await openSecret(env, aad, value)).plaintext;
}
