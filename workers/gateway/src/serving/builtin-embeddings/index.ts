export { isBuiltinEmbeddingsEntity } from "./builtin-entity";
export { checkBuiltinEmbeddings } from "./check-builtin-embeddings";
export { invokeBuiltinEmbeddings } from "./invoke-builtin-embeddings";
