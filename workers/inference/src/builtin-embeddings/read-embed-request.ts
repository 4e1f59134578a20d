import type { EmbedRequest } from "@edgeserve/mlflow/inference-protocol";

/** Texts one request may carry; bounds the work (and memory) of one call. */
const MAX_TEXTS = 256;
/** Characters per text; the model reads at most its first few hundred tokens anyway. */
const MAX_TEXT_CHARS = 20_000;

export class InvalidEmbedRequest extends Error {}

/** Checks a parsed body against the EmbedRequest contract: 1..MAX_TEXTS non-empty strings. */
export function readEmbedRequest(body: unknown): EmbedRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new InvalidEmbedRequest("The body must be a JSON object.");
  const { texts } = body as { texts?: unknown };
  if (!Array.isArray(texts)) throw new InvalidEmbedRequest("'texts' must be an array of strings.");
  if (texts.length === 0 || texts.length > MAX_TEXTS)
    throw new InvalidEmbedRequest(`'texts' must hold 1 to ${MAX_TEXTS} strings.`);
  texts.forEach((text, i) => {
    if (typeof text !== "string") throw new InvalidEmbedRequest(`'texts[${i}]' must be a string.`);
    if (text.length === 0) throw new InvalidEmbedRequest(`'texts[${i}]' must not be empty.`);
    if (text.length > MAX_TEXT_CHARS)
      throw new InvalidEmbedRequest(`'texts[${i}]' is longer than ${MAX_TEXT_CHARS} characters.`);
  });
  return { texts };
}
