/**
 * OpenAI's `encoding_format: "base64"` (the openai SDK's default): each vector as the base64 of its
 * little-endian float32 bytes. Google answers floats, so the gateway encodes them.
 */
export function float32Base64(values: number[]): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** An OpenAI embeddings body with its vectors base64-encoded when the request asked for it. */
export function withEncodingFormat<T extends { data: { embedding: number[] }[] }>(body: T, encodingFormat: unknown): T | (Omit<T, "data"> & { data: (Omit<T["data"][number], "embedding"> & { embedding: string })[] }) {
  if (encodingFormat !== "base64") return body;
  return { ...body, data: body.data.map((d) => ({ ...d, embedding: float32Base64(d.embedding) })) };
}
