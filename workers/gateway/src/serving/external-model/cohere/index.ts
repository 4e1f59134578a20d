import { ApiError, errors } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";
import { fetchUpstream } from "../../upstream-fetch";
import { type ExternalProvider, type ProviderCall, upstreamDeadlines } from "../provider";
import { toOpenAiChatCompletion, toOpenAiCompletion, toOpenAiEmbeddings } from "../shared/openai-format";
import { openAiStreamResponse } from "../shared/openai-stream";
import { withEncodingFormat } from "../shared/embeddings-encoding";
import { readSseEvents } from "../shared/sse";
import type { UnifiedUsage } from "../shared/unified";
import { estimatedUsage, estimateTokens, promptText } from "../shared/usage";
import {
  buildCohereChatRequest,
  buildCohereCompletionsRequest,
  buildCohereEmbedRequests,
} from "./build-cohere-request";
import { readProviderJson } from "../shared/provider-json";
import {
  type CohereEmbedResponse,
  cohereChatResponseSchema,
  cohereEmbedResponseSchema,
} from "./cohere-response-schema";
import { cohereChatToUnified, cohereEmbedToUnified } from "./cohere-response-to-unified";
import { cohereStreamToChunks } from "./cohere-stream-to-chunks";
import { jsonResponse } from "../../../http/known-body-text";

const PUBLIC_URL = "https://api.cohere.com";

/** `cohere_api_base` (or Cohere's public API), without a trailing `/v1` or `/v2`: paths add `/v2/...`. */
function cohereBaseUrl(call: Pick<ProviderCall, "baseUrl" | "model">): string {
  const configured = call.model.cohere_config?.cohere_api_base;
  return call
    .baseUrl(configured ?? PUBLIC_URL)
    .replace(/\/+$/, "")
    .replace(/\/v[12]$/, "");
}

async function post(
  call: ProviderCall,
  path: string,
  body: Record<string, unknown>,
  stream: boolean,
): Promise<Response> {
  const key = call.credentials.get("cohere_api_key");
  if (!key) throw errors.invalid("cohere_config has no API key.");
  const response = await fetchUpstream(
    `${cohereBaseUrl(call)}${path}`,
    {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        accept: stream ? "text/event-stream" : "application/json",
      },
      body: JSON.stringify(body),
    },
    { ...upstreamDeadlines(call), provider: "cohere" },
  );
  // Cohere's errors are `{"message": "..."}`, which mapUpstreamError reads.
  if (!response.ok) throw mapUpstreamError(response.status, response.headers, await response.text(), "cohere");
  return response;
}

/**
 * `cohere`: Cohere's v2 API. Chat → `POST /v2/chat` (SSE when streaming); completions are served
 * by the same chat API (Cohere retired its generate API); embeddings → `POST /v2/embed`.
 */
export const cohereProvider: ExternalProvider = {
  async invoke(call) {
    const created = Math.floor(Date.now() / 1000);
    const model = call.model.name;
    if (call.task === "llm/v1/embeddings") {
      const responses: CohereEmbedResponse[] = [];
      for (const body of buildCohereEmbedRequests(call.body, model))
        responses.push(
          await readProviderJson(await post(call, "/v2/embed", body, false), cohereEmbedResponseSchema, "cohere"),
        );
      const unified = cohereEmbedToUnified(responses, model);
      const usage: UnifiedUsage = unified.usage ?? {
        promptTokens: estimateTokens(promptText(call.body)),
        completionTokens: 0,
        estimated: true,
      };
      call.onUsage(usage);
      return jsonResponse(withEncodingFormat(toOpenAiEmbeddings({ ...unified, usage }), call.body.encoding_format));
    }

    const text = call.task === "llm/v1/completions";
    const body = text
      ? buildCohereCompletionsRequest(call.body, model, call.stream)
      : buildCohereChatRequest(call.body, model, call.stream);
    const response = await post(call, "/v2/chat", body, call.stream);
    if (call.stream) {
      if (!response.body)
        throw new ApiError("BAD_GATEWAY", "The provider 'cohere' sent an empty stream.", { status: 502 });
      return openAiStreamResponse(cohereStreamToChunks(readSseEvents(response.body)), {
        provider: "cohere",
        redact: call.redact,
        id: `${text ? "cmpl" : "chatcmpl"}-${call.requestId}`,
        model,
        created,
        includeUsage: (call.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
        kind: text ? "text" : "chat",
        promptText: promptText(call.body),
        onUsage: call.onUsage,
      });
    }
    const unified = cohereChatToUnified(
      await readProviderJson(response, cohereChatResponseSchema, "cohere"),
      model,
      created,
    );
    const choice = unified.choices[0]!;
    const usage =
      unified.usage ??
      estimatedUsage(
        promptText(call.body),
        `${choice.content ?? ""}${choice.toolCalls ? JSON.stringify(choice.toolCalls) : ""}`,
      );
    call.onUsage(usage);
    if (!text) return jsonResponse(toOpenAiChatCompletion({ ...unified, usage }));
    return jsonResponse(
      toOpenAiCompletion({
        id: unified.id,
        model,
        created,
        choices: [{ index: 0, text: choice.content ?? "", finishReason: choice.finishReason }],
        usage,
      }),
    );
  },
};
