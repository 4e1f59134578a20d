import type { ApiError } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";
import { fetchUpstream } from "../../upstream-fetch";
import type { ProviderCall } from "../provider";
import { forwardOpenAiResponse, withStreamUsage } from "./openai-passthrough";
import { promptText } from "./usage";

export interface OpenAiCompatibleRequest {
  url: string;
  /** Auth and provider headers; content-type and accept are added here. */
  headers: Record<string, string>;
  /** The OpenAI-format body to send (already stripped of Databricks-only fields). */
  body: Record<string, unknown>;
  /** The provider's name in error messages. */
  provider: string;
  /** Ask the upstream for a final usage chunk (`stream_options.include_usage`) on streamed calls. */
  injectStreamUsage: boolean;
  /** Turns an upstream error into ours; defaults to mapUpstreamError. */
  mapError?: (status: number, headers: Headers, bodyText: string) => ApiError;
}

/** Whether the caller asked for a final usage chunk itself. */
export function clientWantsStreamUsage(body: Record<string, unknown>): boolean {
  return (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
}

/**
 * One call to an upstream that speaks OpenAI's format (OpenAI, Azure OpenAI, a Databricks
 * workspace, any compatible server): POST, map its errors, and forward its answer unchanged while
 * reading the usage. The usage chunk we asked for ourselves is hidden unless the caller asked too.
 */
export async function callOpenAiCompatible(call: ProviderCall, request: OpenAiCompatibleRequest): Promise<Response> {
  const body = request.injectStreamUsage ? withStreamUsage(request.body) : request.body;
  const response = await fetchUpstream(
    request.url,
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: call.stream ? "text/event-stream" : "application/json", ...request.headers },
      body: JSON.stringify(body),
    },
    { timeoutMs: call.timeoutMs, signal: call.signal, provider: request.provider },
  );
  if (!response.ok) {
    const text = await response.text();
    throw request.mapError ? request.mapError(response.status, response.headers, text) : mapUpstreamError(response.status, response.headers, text, request.provider);
  }
  return forwardOpenAiResponse(response, {
    stream: call.stream,
    clientWantsUsage: clientWantsStreamUsage(call.body),
    promptText: promptText(call.body),
    embeddings: call.task === "llm/v1/embeddings",
    onUsage: call.onUsage,
  });
}
