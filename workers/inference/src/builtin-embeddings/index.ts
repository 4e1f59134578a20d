export { handleEmbeddings } from "./handle-embeddings";
