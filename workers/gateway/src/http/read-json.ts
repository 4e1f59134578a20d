import { errors, parseOrThrow } from "@edgeserve/api";
import type { Context } from "hono";
import type { z } from "zod";

export const MB = 1024 * 1024;
/** Databricks' published payload limits. */
export const MAX_BODY_BYTES = 16 * MB;
export const MAX_LLM_BODY_BYTES = 4 * MB;
/** Control-plane bodies are small; a config with 10 entities is a few KB. */
const MAX_API_BODY_BYTES = 1 * MB;

function describeLimit(bytes: number): string {
  return bytes >= MB ? `${bytes / MB} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Reads the raw body, refusing (before buffering it) anything over `maxBytes`. */
export async function readBodyBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => errors.tooLarge(`Request body exceeds the ${describeLimit(maxBytes)} limit.`);
  const declared = c.req.header("content-length");
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return new Uint8Array();
  // A declared length is enforced by the HTTP framing, so the runtime can read it in one native call.
  if (declared !== undefined && /^\d+$/.test(declared)) return new Uint8Array(await c.req.raw.arrayBuffer());
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Parses a JSON object body; an empty body is `{}`. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.byteLength === 0) return {};
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw errors.malformed("Request body is not valid UTF-8.");
  }
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw errors.malformed(
      `Malformed request: the body is not valid JSON (${e instanceof Error ? e.message : "parse error"}).`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw errors.malformed("Malformed request: the body must be a JSON object.");
  return value as Record<string, unknown>;
}

export async function readJsonObject(c: Context, maxBytes = MAX_API_BODY_BYTES): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBodyBytes(c, maxBytes));
}

/** Reads and validates a control-plane body against its zod schema (400 naming the field on failure). */
export async function readBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  maxBytes = MAX_API_BODY_BYTES,
): Promise<z.output<S>> {
  return parseOrThrow(schema, await readJsonObject(c, maxBytes));
}

/** Validates query-string parameters the same way. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseOrThrow(schema, c.req.query());
}
