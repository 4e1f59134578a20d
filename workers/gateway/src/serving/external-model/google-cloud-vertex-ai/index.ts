import { ApiError, type EmbeddingsRequest } from "@edgeserve/api";
import { fetchUpstream } from "../../upstream-fetch";
import { invokeGeminiGenerate } from "../gemini/invoke-gemini";
import { withEncodingFormat } from "../shared/embeddings-encoding";
import { mapGeminiError } from "../gemini/map-gemini-error";
import { type ExternalProvider, type ProviderCall, upstreamDeadlines } from "../provider";
import { toOpenAiEmbeddings } from "../shared/openai-format";
import { estimatedUsage, promptText } from "../shared/usage";
import { buildVertexEmbeddingsRequest } from "./build-vertex-embeddings-request";
import { getAccessToken } from "./google-access-token";
import { parseServiceAccountKey } from "./parse-service-account-key";
import { vertexEmbeddingsToUnified } from "./vertex-embeddings-to-unified";
import { vertexEmbeddingsResponseSchema } from "./vertex-response-schema";
import { readProviderJson } from "../shared/provider-json";
import { GOOGLE_OAUTH_KEY, GOOGLE_OAUTH_PUBLIC_URL, vertexModelUrl, vertexPublicUrl } from "./vertex-urls";
import { jsonResponse } from "../../../http/known-body-text";

const PROVIDER = "google-cloud-vertex-ai";

/**
 * The token endpoint's base URL. It is looked up under its own key, `google-oauth`, where the
 * gateway's `baseUrl` takes a key; a gateway whose `baseUrl` takes only the public URL resolves it
 * under `google-cloud-vertex-ai`, so a Vertex override must then also serve `/token`.
 */
function oauthBaseUrl(call: ProviderCall): string {
  return (call.baseUrl as (publicUrl: string, key?: string) => string)(GOOGLE_OAUTH_PUBLIC_URL, GOOGLE_OAUTH_KEY);
}

/**
 * `google-cloud-vertex-ai`: Gemini models on Vertex AI. Auth is the service account's OAuth access
 * token (a signed JWT exchanged at Google's token endpoint, cached per isolate until shortly before
 * it expires); chat and completions use generateContent / streamGenerateContent (shared with `palm`
 * in ../gemini), embeddings the text-embedding models' `:predict`.
 */
export const googleCloudVertexAiProvider: ExternalProvider = {
  async invoke(call) {
    const config = call.model.google_cloud_vertex_ai_config;
    if (!config) throw new ApiError("INVALID_PARAMETER_VALUE", "google_cloud_vertex_ai_config is missing.");
    const secret = call.credentials.get("private_key");
    if (!secret)
      throw new ApiError("BAD_GATEWAY", "This google-cloud-vertex-ai endpoint has no private_key.", { status: 502 });
    const key = parseServiceAccountKey(secret);
    const base = call.baseUrl(vertexPublicUrl(config.region));
    const access = await getAccessToken(key, {
      tokenUrl: `${oauthBaseUrl(call)}/token`,
      post: (url, init) => fetchUpstream(url, init, { ...upstreamDeadlines(call), provider: PROVIDER }),
    });
    const headers = { authorization: `Bearer ${access.token}` };
    const url = (method: string) => vertexModelUrl(base, config.project_id, config.region, call.model.name, method);

    if (call.task !== "llm/v1/embeddings")
      return invokeGeminiGenerate(call, { provider: PROVIDER, url, headers, onAuthRejected: access.forget });

    const response = await fetchUpstream(
      url("predict"),
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...headers },
        // external-model/index.ts parsed the body with the embeddings request schema.
        body: JSON.stringify(buildVertexEmbeddingsRequest(call.body as EmbeddingsRequest)),
      },
      { ...upstreamDeadlines(call), provider: PROVIDER },
    );
    if (!response.ok) {
      if (response.status === 401 || response.status === 403) access.forget();
      throw mapGeminiError(response.status, response.headers, await response.text(), PROVIDER);
    }
    const json = await readProviderJson(response, vertexEmbeddingsResponseSchema, PROVIDER, "an embeddings response");
    const unified = vertexEmbeddingsToUnified(json, call.model.name);
    unified.usage ??= estimatedUsage(promptText(call.body), "");
    call.onUsage(unified.usage);
    return jsonResponse(withEncodingFormat(toOpenAiEmbeddings(unified), call.body.encoding_format));
  },
};
