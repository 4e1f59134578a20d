import { SYSTEM_AI_PREFIX, type Task } from "@edgeserve/api";

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
  /** `model_type` of get-model-optimization-info: the model family. */
  modelType: string;
  /** Tokens per second of one throughput chunk: provisioned bands are multiples of it (provisioned-band.ts). */
  throughputChunkSize: number;
}

const DOCS = "https://docs.databricks.com/aws/en/machine-learning/foundation-model-apis/supported-models";

/** Edgeserve's chunk sizes: one chunk is the smallest share of a backend worth reserving for a model this size. */
const CHUNK = { large: 50, small: 100, embeddings: 1000 } as const;

function model(
  task: Task,
  name: string,
  displayName: string,
  description: string,
  sizing: { modelType: string; chunk: keyof typeof CHUNK },
): CatalogueModel {
  return {
    task,
    info: { name, display_name: displayName, docs: DOCS, description },
    modelType: sizing.modelType,
    throughputChunkSize: CHUNK[sizing.chunk],
  };
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
    { modelType: "llama", chunk: "large" },
  ),
  "databricks-meta-llama-3-1-8b-instruct": model(
    "llm/v1/chat",
    "meta_llama_v3_1_8b_instruct",
    "Meta Llama 3.1 8B Instruct",
    "Meta's 8B instruction-tuned chat model, small and fast.",
    { modelType: "llama", chunk: "small" },
  ),
  "databricks-llama-4-maverick": model(
    "llm/v1/chat",
    "llama_4_maverick",
    "Llama 4 Maverick",
    "Meta's mixture-of-experts chat model with 17B active parameters.",
    { modelType: "llama", chunk: "large" },
  ),
  "databricks-gpt-oss-120b": model(
    "llm/v1/chat",
    "gpt_oss_120b",
    "GPT OSS 120B",
    "OpenAI's open-weight 120B reasoning model.",
    { modelType: "gpt_oss", chunk: "large" },
  ),
  "databricks-gpt-oss-20b": model(
    "llm/v1/chat",
    "gpt_oss_20b",
    "GPT OSS 20B",
    "OpenAI's open-weight 20B reasoning model.",
    { modelType: "gpt_oss", chunk: "small" },
  ),
  "databricks-gemma-3-12b": model(
    "llm/v1/chat",
    "gemma_3_12b",
    "Gemma 3 12B",
    "Google's 12B multilingual chat model.",
    {
      modelType: "gemma",
      chunk: "small",
    },
  ),
  "databricks-gte-large-en": model(
    "llm/v1/embeddings",
    "gte_large_en_v1_5",
    "GTE Large (En)",
    "General Text Embeddings for English retrieval and semantic search.",
    { modelType: "gte", chunk: "embeddings" },
  ),
  "databricks-bge-large-en": model(
    "llm/v1/embeddings",
    "bge_large_en_v1_5",
    "BGE Large (En)",
    "BAAI General Embedding for English retrieval and semantic search.",
    { modelType: "bert", chunk: "embeddings" },
  ),
};

export function isCatalogueName(name: string): boolean {
  return Object.hasOwn(FOUNDATION_CATALOGUE, name);
}

/** The versions of each catalogue model that can be provisioned (the backend is the operator's, one per model). */
export const CATALOGUE_MODEL_VERSIONS: readonly string[] = ["1"];

/** The catalogue endpoint name and model behind `system.ai.<foundation_model.name>`, or null. */
export function catalogueModelOf(entityName: string): { endpointName: string; model: CatalogueModel } | null {
  if (!entityName.startsWith(SYSTEM_AI_PREFIX)) return null;
  const name = entityName.slice(SYSTEM_AI_PREFIX.length);
  for (const [endpointName, model] of Object.entries(FOUNDATION_CATALOGUE))
    if (model.info.name === name) return { endpointName, model };
  return null;
}
