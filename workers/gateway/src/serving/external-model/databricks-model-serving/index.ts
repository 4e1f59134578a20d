import { errors } from "@edgeserve/api";
import type { ExternalProvider } from "../provider";
import { callOpenAiCompatible } from "../shared/openai-compatible-call";
import { invocationsUrl, servingEndpointBody } from "./build-serving-endpoint-request";

/**
 * `databricks-model-serving`: an endpoint of another Databricks (or Edgeserve) workspace, called
 * with a bearer token. Its query API is OpenAI-format for chat, completions and embeddings, so the
 * answer is forwarded as it arrives. `stream_options` is forwarded only when the caller sent it
 * (Databricks does not document it): streamed usage otherwise comes from chunks that carry it, or
 * is estimated.
 */
export const databricksModelServingProvider: ExternalProvider = {
  async invoke(call) {
    const config = call.model.databricks_model_serving_config;
    if (!config) throw errors.invalid("databricks_model_serving_config is missing.");
    return callOpenAiCompatible(call, {
      url: invocationsUrl(config.databricks_workspace_url, call.model.name),
      headers: { authorization: `Bearer ${call.credentials.get("databricks_api_token") ?? ""}` },
      body: servingEndpointBody(call.body),
      provider: "databricks-model-serving",
      injectStreamUsage: false,
      forwardsEncodingFormat: false,
    });
  },
};
