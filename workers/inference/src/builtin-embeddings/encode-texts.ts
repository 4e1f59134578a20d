import * as tf from "@tensorflow/tfjs-core";
import type { LoadedEncoder } from "./load-encoder";

export interface EncodedTexts {
  /** One 512-dim vector per text, in input order. */
  embeddings: number[][];
  /** Tokens the encoder read, over all texts. */
  tokens: number;
}

/**
 * Runs the encoder on a batch of non-empty texts. The graph takes the batch as a sparse matrix of token ids:
 * `values` are the ids and `indices` their [text, position] coordinates.
 */
export async function encodeTexts(encoder: LoadedEncoder, texts: readonly string[]): Promise<EncodedTexts> {
  const tokenIds = texts.map((text) => encoder.tokenizer.encode(text));
  const coordinates = tokenIds.flatMap((ids, row) => ids.map((_, position) => [row, position]));
  const indices = tf.tensor2d(coordinates, [coordinates.length, 2], "int32");
  const values = tf.tensor1d(tokenIds.flat(), "int32");
  try {
    const output = (await encoder.model.executeAsync({ indices, values })) as tf.Tensor2D;
    const embeddings = await output.array();
    output.dispose();
    return { embeddings, tokens: coordinates.length };
  } finally {
    indices.dispose();
    values.dispose();
  }
}
