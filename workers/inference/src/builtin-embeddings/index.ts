export { handleEmbeddings } from "./handle-embeddings";
export { ENCODER_DIMENSIONS, ENCODER_MODEL_NAME, ENCODER_PREFIX } from "./model-files";
