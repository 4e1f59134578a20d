import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  encryptSecret,
  fromBase64,
  MasterKeyError,
  parseMasterKey,
  SecretDecryptionError,
  secretAad,
  toBase64,
} from "./crypto";

const text = (s: string) => new TextEncoder().encode(s);
const plain = (b: Uint8Array) => new TextDecoder().decode(b);

describe("secret encryption", () => {
  it("round-trips a value under the configured master key", async () => {
    const sealed = await encryptSecret(env, secretAad("scope", "key"), text("s3cr3t-välue"));
    expect(sealed.ciphertext).not.toContain("s3cr3t");
    expect(fromBase64(sealed.iv)).toHaveLength(12);
    expect(plain(await decryptSecret(env, secretAad("scope", "key"), sealed))).toBe("s3cr3t-välue");
  });

  it("uses a fresh IV for every value", async () => {
    const a = await encryptSecret(env, secretAad("s", "k"), text("same"));
    const b = await encryptSecret(env, secretAad("s", "k"), text("same"));
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it("binds the ciphertext to scope/key: another AAD fails", async () => {
    const sealed = await encryptSecret(env, secretAad("scope", "key"), text("v"));
    await expect(decryptSecret(env, secretAad("scope", "other"), sealed)).rejects.toBeInstanceOf(SecretDecryptionError);
    await expect(decryptSecret(env, secretAad("other", "key"), sealed)).rejects.toBeInstanceOf(SecretDecryptionError);
  });

  it("detects tampering with the ciphertext or the IV", async () => {
    const sealed = await encryptSecret(env, secretAad("s", "k"), text("value"));
    const bytes = fromBase64(sealed.ciphertext)!;
    bytes[0]! ^= 1;
    await expect(
      decryptSecret(env, secretAad("s", "k"), { ...sealed, ciphertext: toBase64(bytes) }),
    ).rejects.toBeInstanceOf(SecretDecryptionError);
    const iv = fromBase64(sealed.iv)!;
    iv[0]! ^= 1;
    await expect(decryptSecret(env, secretAad("s", "k"), { ...sealed, iv: toBase64(iv) })).rejects.toBeInstanceOf(
      SecretDecryptionError,
    );
  });

  it("fails to decrypt under another master key", async () => {
    const sealed = await encryptSecret(env, secretAad("s", "k"), text("value"));
    const other = { EDGESERVE_MASTER_KEY: "f".repeat(64) };
    await expect(decryptSecret(other, secretAad("s", "k"), sealed)).rejects.toBeInstanceOf(SecretDecryptionError);
  });

  it("accepts a key as 64 hex characters or as base64 of 32 bytes", async () => {
    const hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    const bytes = parseMasterKey(hex);
    expect(bytes).toHaveLength(32);
    expect(parseMasterKey(toBase64(bytes))).toEqual(bytes);
    const sealed = await encryptSecret({ EDGESERVE_MASTER_KEY: hex }, secretAad("s", "k"), text("v"));
    expect(plain(await decryptSecret({ EDGESERVE_MASTER_KEY: toBase64(bytes) }, secretAad("s", "k"), sealed))).toBe(
      "v",
    );
  });

  it("rejects a bad master key with a message that never contains the key", async () => {
    const bad = [
      "not-a-key-but-a-secret-passphrase",
      "c2hvcnQ=", // base64 of 5 bytes
      "a".repeat(63),
      toBase64(new Uint8Array(48).fill(7)),
      `${"0".repeat(64)}zz`,
    ];
    for (const key of bad) {
      let caught: unknown;
      try {
        await encryptSecret({ EDGESERVE_MASTER_KEY: key }, secretAad("s", "k"), text("v"));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(MasterKeyError);
      const message = (caught as Error).message;
      expect(message).toMatch(/EDGESERVE_MASTER_KEY is invalid/);
      expect(message).not.toContain(key);
      expect(String(caught)).not.toContain(key);
    }
    await expect(encryptSecret({}, secretAad("s", "k"), text("v"))).rejects.toThrow(/EDGESERVE_MASTER_KEY is not set/);
  });
});
