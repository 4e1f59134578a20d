import type { Task } from "@edgeserve/api";

/** `config.served_entities[].foundation_model` of a pay-per-token endpoint, as Databricks lists it. */
export interface FoundationModelInfo {
  name: string;
  display_name: string;
  docs: string;
  description: string;
}

export interface CatalogueModel {
  task: Task;
  info: FoundationModelInfo;
}

const DOCS = "https://docs.databricks.com/aws/en/machine-learning/foundation-model-apis/supported-models";

function model(task: Task, name: string, displayName: string, description: string): CatalogueModel {
  return { task, info: { name, display_name: displayName, docs: DOCS, description } };
}

/**
 * The Foundation Model APIs Edgeserve knows, by the endpoint names Databricks' clients and docs use. None
 * is served until the operator enables it with a backend (EDGESERVE_FOUNDATION_MODELS, operator-config.ts);
 * the names are reserved either way, so a user endpoint never takes one.
 */
export const FOUNDATION_CATALOGUE: Readonly<Record<string, CatalogueModel>> = {
  "databricks-meta-llama-3-3-70b-instruct": model(
    "llm/v1/chat",
    "meta_llama_v3_3_70b_instruct",
    "Meta Llama 3.3 70B Instruct",
    "Meta's 70B instruction-tuned multilingual chat model with a 128k-token context.",
  ),
  "databricks-meta-llama-3-1-8b-instruct": model(
    "llm/v1/chat",
    "meta_llama_v3_1_8b_instruct",
    "Meta Llama 3.1 8B Instruct",
    "Meta's 8B instruction-tuned chat model, small and fast.",
  ),
  "databricks-llama-4-maverick": model(
    "llm/v1/chat",
    "llama_4_maverick",
    "Llama 4 Maverick",
    "Meta's mixture-of-experts chat model with 17B active parameters.",
  ),
  "databricks-gpt-oss-120b": model(
    "llm/v1/chat",
    "gpt_oss_120b",
    "GPT OSS 120B",
    "OpenAI's open-weight 120B reasoning model.",
  ),
  "databricks-gpt-oss-20b": model(
    "llm/v1/chat",
    "gpt_oss_20b",
    "GPT OSS 20B",
    "OpenAI's open-weight 20B reasoning model.",
  ),
  "databricks-gemma-3-12b": model("llm/v1/chat", "gemma_3_12b", "Gemma 3 12B", "Google's 12B multilingual chat model."),
  "databricks-gte-large-en": model(
    "llm/v1/embeddings",
    "gte_large_en_v1_5",
    "GTE Large (En)",
    "General Text Embeddings for English retrieval and semantic search.",
  ),
  "databricks-bge-large-en": model(
    "llm/v1/embeddings",
    "bge_large_en_v1_5",
    "BGE Large (En)",
    "BAAI General Embedding for English retrieval and semantic search.",
  ),
};

export function isCatalogueName(name: string): boolean {
  return Object.hasOwn(FOUNDATION_CATALOGUE, name);
}
