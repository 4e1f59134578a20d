/** The two hex digits of each byte value, so encoding is one lookup a byte. */
const HEX_OF_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** Bytes as lowercase hex, two characters a byte. */
export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  let out = "";
  for (const byte of bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) out += HEX_OF_BYTE[byte];
  return out;
}

/** The SHA-256 digest of text (UTF-8) as 64 lowercase hex characters; a prefix of it is a shorter stable id. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}
