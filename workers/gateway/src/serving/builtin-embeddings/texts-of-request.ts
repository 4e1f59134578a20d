import { type EmbeddingsRequest, errors } from "@edgeserve/api";
import { BUILTIN_EMBEDDINGS_DIMENSIONS } from "./builtin-entity";

/** The texts an OpenAI embeddings request asks to embed, refusing what the encoder cannot do (400 naming the field). */
export function textsOfRequest(body: EmbeddingsRequest): string[] {
  const texts = typeof body.input === "string" ? [body.input] : body.input;
  texts.forEach((text, i) => {
    if (text.length === 0) throw errors.invalid(`Invalid value for '${typeof body.input === "string" ? "input" : `input[${i}]`}': must not be empty.`);
  });
  if (body.dimensions !== undefined && body.dimensions !== BUILTIN_EMBEDDINGS_DIMENSIONS)
    throw errors.invalid(`Invalid value for 'dimensions': this model returns ${BUILTIN_EMBEDDINGS_DIMENSIONS}-dimensional vectors only.`);
  return texts;
}
