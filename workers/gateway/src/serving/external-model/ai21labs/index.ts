import { ApiError, errors } from "@edgeserve/api";
import { fetchUpstream } from "../../upstream-fetch";
import { type ExternalProvider, upstreamDeadlines } from "../provider";
import { toOpenAiChatCompletion, toOpenAiCompletion } from "../shared/openai-format";
import { clientWantsStreamUsage } from "../shared/openai-compatible-call";
import { openAiOutputText } from "../shared/openai-answer-schema";
import { openAiStreamResponse } from "../shared/openai-stream";
import { readSseEvents } from "../shared/sse";
import { estimatedUsage, promptText } from "../shared/usage";
import { ai21ResponseToCompletion, ai21ResponseToUnified } from "./ai21-response-to-unified";
import { ai21StreamToChunks } from "./ai21-stream-to-chunks";
import { ai21ChatResponseSchema } from "./ai21-response-schema";
import { readProviderJson } from "../shared/provider-json";
import { AI21_NO_EMBEDDINGS, buildAi21Request } from "./build-ai21-request";
import { mapAi21Error } from "./ai21-error";
import { jsonResponse } from "../../../http/known-body-text";

const AI21_PUBLIC_URL = "https://api.ai21.com";

/**
 * `ai21labs`: AI21 Studio's Jamba chat completions (`/studio/v1/chat/completions`, bearer key).
 * Close to OpenAI's format but not the same (no tool_choice, text-only content, one streamed
 * choice), so requests are converted and answers re-emitted through the unified layer.
 * llm/v1/completions is served by chat; AI21 offers no embeddings for Jamba.
 */
export const ai21labsProvider: ExternalProvider = {
  deployProblem: (model) => (model.task === "llm/v1/embeddings" ? AI21_NO_EMBEDDINGS : null),
  async invoke(call) {
    if (!call.model.ai21labs_config) throw errors.invalid("ai21labs_config is missing.");
    const request = buildAi21Request(call.body, call.model.name, call.task);
    const response = await fetchUpstream(
      `${call.baseUrl(AI21_PUBLIC_URL).replace(/\/+$/, "")}/studio/v1/chat/completions`,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: call.stream ? "text/event-stream" : "application/json",
          authorization: `Bearer ${call.credentials.get("ai21labs_api_key") ?? ""}`,
        },
        body: JSON.stringify(request),
      },
      { ...upstreamDeadlines(call), provider: "ai21labs" },
    );
    if (!response.ok) throw mapAi21Error(response.status, response.headers, await response.text());
    const prompt = promptText(call.body);

    if (call.stream) {
      if (!response.body)
        throw new ApiError("BAD_GATEWAY", "The provider 'ai21labs' sent an empty stream.", { status: 502 });
      return openAiStreamResponse(ai21StreamToChunks(readSseEvents(response.body)), {
        provider: "ai21labs",
        redact: call.redact,
        id: `chatcmpl-${call.requestId}`,
        model: call.model.name,
        created: Math.floor(Date.now() / 1000),
        includeUsage: clientWantsStreamUsage(call.body),
        kind: call.task === "llm/v1/completions" ? "text" : "chat",
        promptText: prompt,
        onUsage: call.onUsage,
      });
    }

    const json = await readProviderJson(response, ai21ChatResponseSchema, "ai21labs");
    const unified = ai21ResponseToUnified(json, call.model.name);
    const openAi =
      call.task === "llm/v1/completions"
        ? toOpenAiCompletion(ai21ResponseToCompletion(json, call.model.name))
        : toOpenAiChatCompletion(unified);
    const usage = unified.usage ?? estimatedUsage(prompt, openAiOutputText(toOpenAiChatCompletion(unified)));
    call.onUsage(usage);
    return jsonResponse({
      ...openAi,
      usage: {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
      },
    });
  },
};
