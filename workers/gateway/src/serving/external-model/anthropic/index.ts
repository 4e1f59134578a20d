import { ApiError, errors } from "@edgeserve/api";
import { fetchUpstream } from "../../upstream-fetch";
import { type ExternalProvider, type ProviderCall, upstreamDeadlines } from "../provider";
import { toOpenAiChatCompletion, toOpenAiCompletion } from "../shared/openai-format";
import { openAiStreamResponse } from "../shared/openai-stream";
import { readSseEvents } from "../shared/sse";
import { readProviderJson } from "../shared/provider-json";
import { estimatedUsage, promptText } from "../shared/usage";
import { mapAnthropicError } from "./anthropic-error";
import { anthropicResponseToUnified } from "./anthropic-response-to-unified";
import { anthropicStreamToChunks } from "./anthropic-stream-to-chunks";
import { anthropicMessageResponseSchema } from "./anthropic-response-schema";
import { ANTHROPIC_PUBLIC_URL, ANTHROPIC_VERSION } from "./anthropic-types";
import { buildAnthropicRequest } from "./build-anthropic-request";
import { jsonResponse } from "../../../http/known-body-text";

/** Headers of every Messages API call: the endpoint's key and the API version this code speaks. */
function anthropicHeaders(credentials: ReadonlyMap<string, string>, stream: boolean): Record<string, string> {
  return {
    "x-api-key": credentials.get("anthropic_api_key") ?? "",
    "anthropic-version": ANTHROPIC_VERSION,
    "content-type": "application/json",
    accept: stream ? "text/event-stream" : "application/json",
  };
}

async function callMessages(call: ProviderCall): Promise<Response> {
  const url = `${call.baseUrl(ANTHROPIC_PUBLIC_URL)}/v1/messages`;
  const body = buildAnthropicRequest(call.body, call.model.name, call.stream);
  const response = await fetchUpstream(
    url,
    { method: "POST", headers: anthropicHeaders(call.credentials, call.stream), body: JSON.stringify(body) },
    { ...upstreamDeadlines(call), provider: "anthropic" },
  );
  if (!response.ok) throw mapAnthropicError(response.status, response.headers, await response.text());
  return response;
}

const NO_EMBEDDINGS = "anthropic does not offer embeddings: serve llm/v1/embeddings with another provider.";

/**
 * `anthropic`: the Messages API (POST /v1/messages). Chat, plain and streamed, with tools;
 * completions are served through Messages too (Anthropic has no completions API). No embeddings.
 */
export const anthropicProvider: ExternalProvider = {
  deployProblem: (model) => (model.task === "llm/v1/embeddings" ? NO_EMBEDDINGS : null),
  async invoke(call) {
    if (call.task === "llm/v1/embeddings") throw errors.invalid(NO_EMBEDDINGS);
    const response = await callMessages(call);
    const created = Math.floor(Date.now() / 1000);

    if (call.stream) {
      if (!response.body)
        throw new ApiError("BAD_GATEWAY", "The provider 'anthropic' sent an empty stream.", { status: 502 });
      const includeUsage =
        (call.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      return openAiStreamResponse(anthropicStreamToChunks(readSseEvents(response.body)), {
        provider: "anthropic",
        redact: call.redact,
        id: `${call.task === "llm/v1/chat" ? "chatcmpl" : "cmpl"}-${call.requestId}`,
        model: call.model.name,
        created,
        includeUsage,
        kind: call.task === "llm/v1/chat" ? "chat" : "text",
        promptText: promptText(call.body),
        onUsage: call.onUsage,
      });
    }

    const json = await readProviderJson(response, anthropicMessageResponseSchema, "anthropic");
    const unified = anthropicResponseToUnified(json, created, call.model.name);
    const choice = unified.choices[0]!;
    unified.usage ??= estimatedUsage(
      promptText(call.body),
      `${choice.content ?? ""}${(choice.toolCalls ?? []).map((t) => t.name + t.arguments).join("")}`,
    );
    call.onUsage(unified.usage);
    if (call.task === "llm/v1/completions") {
      return jsonResponse(
        toOpenAiCompletion({
          id: unified.id,
          model: unified.model,
          created,
          choices: [{ index: 0, text: choice.content ?? "", finishReason: choice.finishReason }],
          usage: unified.usage,
        }),
      );
    }
    return jsonResponse(toOpenAiChatCompletion(unified));
  },
};
