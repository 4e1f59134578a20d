import type { ProviderName } from "@edgeserve/api";
import { anthropicProvider } from "./anthropic";
import { customProvider } from "./custom";
import { googleCloudVertexAiProvider } from "./google-cloud-vertex-ai";
import { palmProvider } from "./palm";
import { ai21labsProvider } from "./ai21labs";
import { databricksModelServingProvider } from "./databricks-model-serving";
import { openAiProvider } from "./openai";
import { amazonBedrockProvider } from "./amazon-bedrock";
import { cohereProvider } from "./cohere";
import type { ExternalProvider } from "./provider";

/** Providers this gateway can call. Adding one is a folder beside `custom/` and a line here. */
export const PROVIDER_IMPLEMENTATIONS: Partial<Record<ProviderName, ExternalProvider>> = {
  custom: customProvider,
  cohere: cohereProvider,
  "amazon-bedrock": amazonBedrockProvider,
  "google-cloud-vertex-ai": googleCloudVertexAiProvider,
  palm: palmProvider,
  openai: openAiProvider,
  "databricks-model-serving": databricksModelServingProvider,
  ai21labs: ai21labsProvider,
  anthropic: anthropicProvider,
};
