import type { EmbeddingsRequest } from "@edgeserve/api";
import { fetchUpstream } from "../../upstream-fetch";
import { invokeGeminiGenerate } from "../gemini/invoke-gemini";
import { withEncodingFormat } from "../shared/embeddings-encoding";
import { mapGeminiError } from "../gemini/map-gemini-error";
import { type ExternalProvider, upstreamDeadlines } from "../provider";
import { toOpenAiEmbeddings } from "../shared/openai-format";
import { estimatedUsage, promptText } from "../shared/usage";
import { readProviderJson } from "../shared/provider-json";
import { batchEmbedContentsVectors, buildBatchEmbedContents } from "./batch-embed-contents";
import { batchEmbedContentsResponseSchema } from "./palm-response-schema";
import { geminiModelFor } from "./palm-model";
import { jsonResponse } from "../../../http/known-body-text";

const PROVIDER = "palm";
const GEMINI_API_URL = "https://generativelanguage.googleapis.com";

/**
 * `palm`: Google retired the PaLM API; its API keys (Google AI Studio keys) work with the Gemini
 * API, which serves these endpoints instead. So `palm_api_key` is sent as `x-goog-api-key` to
 * generativelanguage.googleapis.com/v1beta: chat and completions through generateContent /
 * streamGenerateContent (the same conversions as Vertex AI, in ../gemini), embeddings through
 * batchEmbedContents. Retired PaLM model names map to their Gemini successors (palm-model.ts).
 */
export const palmProvider: ExternalProvider = {
  async invoke(call) {
    const headers = { "x-goog-api-key": call.credentials.get("palm_api_key") ?? "" };
    const base = call.baseUrl(GEMINI_API_URL).replace(/\/+$/, "");
    const model = geminiModelFor(call.model.name);
    const url = (method: string) =>
      `${base}/v1beta/models/${model}:${method}${method === "streamGenerateContent" ? "?alt=sse" : ""}`;

    if (call.task !== "llm/v1/embeddings") return invokeGeminiGenerate(call, { provider: PROVIDER, url, headers });

    const embeddings: number[][] = [];
    // external-model/index.ts parsed the body with the embeddings request schema.
    for (const batch of buildBatchEmbedContents(call.body as EmbeddingsRequest, model)) {
      const response = await fetchUpstream(
        url("batchEmbedContents"),
        {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json", ...headers },
          body: JSON.stringify(batch),
        },
        { ...upstreamDeadlines(call), provider: PROVIDER },
      );
      if (!response.ok) throw mapGeminiError(response.status, response.headers, await response.text(), PROVIDER);
      const json = await readProviderJson(
        response,
        batchEmbedContentsResponseSchema,
        PROVIDER,
        "an embeddings response",
      );
      embeddings.push(...batchEmbedContentsVectors(json, batch.requests.length));
    }
    // batchEmbedContents reports no token counts: Databricks' (characters + 1) / 4 estimate.
    const usage = estimatedUsage(promptText(call.body), "");
    call.onUsage(usage);
    return jsonResponse(
      withEncodingFormat(toOpenAiEmbeddings({ model, embeddings, usage }), call.body.encoding_format),
    );
  },
};
