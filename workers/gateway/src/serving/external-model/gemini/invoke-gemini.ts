import { mapUpstreamError } from "../../upstream-errors";
import { fetchUpstream } from "../../upstream-fetch";
import { type ProviderCall, upstreamDeadlines } from "../provider";
import { toOpenAiChatCompletion, toOpenAiCompletion } from "../shared/openai-format";
import { openAiStreamResponse } from "../shared/openai-stream";
import { parseProviderJson, readProviderJson } from "../shared/provider-json";
import { readSseEvents } from "../shared/sse";
import { estimatedUsage, promptText } from "../shared/usage";
import { buildGeminiRequest, type GeminiQueryBody } from "./build-gemini-request";
import { geminiResponseToCompletion, geminiResponseToUnified } from "./gemini-response-to-unified";
import { geminiStreamToChunks } from "./gemini-stream-to-chunks";
import { type GeminiResponse, geminiResponseSchema } from "./gemini-response-schema";
import { mapGeminiError } from "./map-gemini-error";
import { jsonResponse } from "../../../http/known-body-text";

export interface GeminiTarget {
  provider: string;
  /** The URL of `generateContent` or `streamGenerateContent?alt=sse` for the call's model. */
  url(method: "generateContent" | "streamGenerateContent"): string;
  /** Auth headers (a bearer token for Vertex AI, `x-goog-api-key` for the Gemini API). */
  headers: Record<string, string>;
  /** Called when the upstream rejects the credentials (Vertex drops its cached access token). */
  onAuthRejected?(): void;
}

async function* parseEvents(body: ReadableStream<Uint8Array>, provider: string): AsyncGenerator<GeminiResponse> {
  for await (const event of readSseEvents(body))
    yield parseProviderJson(geminiResponseSchema, event.data, provider, "a stream event");
}

/**
 * llm/v1/chat and llm/v1/completions over Gemini's generateContent, shared by Vertex AI and the
 * Gemini API (which serves `palm`): build the request, call, and answer in OpenAI's format.
 */
export async function invokeGeminiGenerate(call: ProviderCall, target: GeminiTarget): Promise<Response> {
  // external-model/index.ts parsed the body with the task's request schema.
  const request = buildGeminiRequest(call.task, call.body as GeminiQueryBody, target.provider);
  const url = target.url(call.stream ? "streamGenerateContent" : "generateContent");
  const response = await fetchUpstream(
    url,
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: call.stream ? "text/event-stream" : "application/json",
        ...target.headers,
      },
      body: JSON.stringify(request),
    },
    { ...upstreamDeadlines(call), provider: target.provider },
  );
  if (!response.ok) {
    const text = await response.text();
    if (response.status === 401 || response.status === 403) target.onAuthRejected?.();
    throw mapGeminiError(response.status, response.headers, text, target.provider);
  }
  const id = `chatcmpl-${call.requestId.replace(/[^A-Za-z0-9]/g, "")}`;
  const created = Math.floor(Date.now() / 1000);
  const prompt = promptText(call.body);

  if (call.stream) {
    if (!response.body) throw mapUpstreamError(502, new Headers(), "empty stream", target.provider);
    const includeUsage = (call.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    return openAiStreamResponse(
      geminiStreamToChunks(parseEvents(response.body, target.provider), { id, provider: target.provider }),
      {
        provider: target.provider,
        redact: call.redact,
        id: call.task === "llm/v1/completions" ? id.replace(/^chatcmpl-/, "cmpl-") : id,
        model: call.model.name,
        created,
        includeUsage,
        kind: call.task === "llm/v1/completions" ? "text" : "chat",
        promptText: prompt,
        onUsage: call.onUsage,
      },
    );
  }

  const json = await readProviderJson(response, geminiResponseSchema, target.provider);
  const meta = { id, model: call.model.name, created };
  if (call.task === "llm/v1/completions") {
    const completion = geminiResponseToCompletion(json, meta);
    completion.usage ??= estimatedUsage(prompt, completion.choices.map((c) => c.text).join(""));
    call.onUsage(completion.usage);
    return jsonResponse(toOpenAiCompletion(completion));
  }
  const chat = geminiResponseToUnified(json, meta);
  chat.usage ??= estimatedUsage(
    prompt,
    chat.choices
      .map((c) => `${c.content ?? ""}${(c.toolCalls ?? []).map((t) => t.name + t.arguments).join("")}`)
      .join(""),
  );
  call.onUsage(chat.usage);
  return jsonResponse(toOpenAiChatCompletion(chat));
}
