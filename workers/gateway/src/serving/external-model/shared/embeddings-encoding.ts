import { ApiError } from "@edgeserve/api";

/**
 * OpenAI's `encoding_format: "base64"` (the openai SDK's default): each vector as the base64 of its
 * little-endian float32 bytes. Providers that answer floats (Google, Cohere, Bedrock, Databricks, many
 * OpenAI-compatible servers) have their vectors encoded here.
 */
export function float32Base64(values: number[]): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The reverse: a base64 float32 vector as numbers (null when the text is not one). */
function float32FromBase64(text: string): number[] | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  if (binary.length % 4 !== 0) return null;
  const view = new DataView(Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer);
  const out = new Array<number>(binary.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

type Encoded<T extends { data: { embedding: unknown }[] }> = Omit<T, "data"> & {
  data: (Omit<T["data"][number], "embedding"> & { embedding: number[] | string })[];
};

/**
 * An OpenAI embeddings body with its vectors in the encoding the client asked for: base64 when it
 * asked for base64, else float arrays, whatever the upstream answered (some ignore `encoding_format`).
 * The same object when nothing needed converting, so a passthrough can forward the upstream's text.
 */
export function withEncodingFormat<T extends { data: { embedding: number[] | string }[] }>(
  body: T,
  encodingFormat: unknown,
  provider = "the upstream",
): T | Encoded<T> {
  const base64 = encodingFormat === "base64";
  if (body.data.every((d) => typeof d.embedding === (base64 ? "string" : "object"))) return body;
  return {
    ...body,
    data: body.data.map((d, i) => {
      if (base64) return typeof d.embedding === "string" ? d : { ...d, embedding: float32Base64(d.embedding) };
      if (typeof d.embedding !== "string") return d;
      const values = float32FromBase64(d.embedding);
      if (!values)
        throw new ApiError(
          "BAD_GATEWAY",
          `The provider '${provider}' sent 'data[${i}].embedding' that is neither a float array nor base64 float32.`,
          { status: 502 },
        );
      return { ...d, embedding: values };
    }),
  };
}
