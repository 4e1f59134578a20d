import { DATABRICKS_QUERY_EXTRA_FIELDS, type EmbeddingsRequest, errors } from "@edgeserve/api";
import { BUILTIN_EMBEDDINGS_DIMENSIONS } from "./builtin-entity";

/**
 * Fields the built-in encoder acts on (`stream` is refused before; Databricks' own fields and `user`, an end-user id,
 * are recorded).
 */
const HANDLED = new Set([
  "input",
  "model",
  "encoding_format",
  "dimensions",
  "stream",
  "user",
  ...DATABRICKS_QUERY_EXTRA_FIELDS,
]);

/** Which model embeds, for error messages, and the width of its vectors (null: unknown, so `dimensions` is refused). */
interface Encoder {
  label: string;
  dimensions: number | null;
}

const BUILTIN_ENCODER: Encoder = { label: "The built-in encoder", dimensions: BUILTIN_EMBEDDINGS_DIMENSIONS };

/** The texts an OpenAI embeddings request asks to embed, refusing what the encoder cannot do (400 naming the field). */
export function textsOfRequest(body: EmbeddingsRequest, encoder: Encoder = BUILTIN_ENCODER): string[] {
  for (const key of Object.keys(body))
    if (!HANDLED.has(key))
      throw errors.invalid(`${encoder.label} does not support '${key}' on Edgeserve; leave it out.`);
  const extra = Object.keys(body.extra_params ?? {});
  if (extra.length > 0)
    throw errors.invalid(
      `${encoder.label} takes no extra_params on Edgeserve ('${extra[0]}' given); leave extra_params out.`,
    );
  const texts = typeof body.input === "string" ? [body.input] : body.input;
  texts.forEach((text, i) => {
    if (text.length === 0)
      throw errors.invalid(
        `Invalid value for '${typeof body.input === "string" ? "input" : `input[${i}]`}': must not be empty.`,
      );
  });
  if (body.dimensions !== undefined && body.dimensions !== encoder.dimensions)
    throw errors.invalid(
      encoder.dimensions === null
        ? "Invalid value for 'dimensions': this model returns vectors of its own width only; leave it out."
        : `Invalid value for 'dimensions': this model returns ${encoder.dimensions}-dimensional vectors only.`,
    );
  return texts;
}
