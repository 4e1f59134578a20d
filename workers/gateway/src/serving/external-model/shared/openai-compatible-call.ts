import type { ApiError } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";
import { fetchUpstream } from "../../upstream-fetch";
import { type ProviderCall, upstreamDeadlines } from "../provider";
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
  /**
   * Send the client's embeddings `encoding_format` on. Off for upstreams that may not know it (some
   * reject it, some ignore it and answer floats): they are asked for their default, float arrays,
   * and the gateway encodes base64 itself when the client asked for it (the openai SDK does by default).
   */
  forwardsEncodingFormat: boolean;
  /** Turns an upstream error into ours; defaults to mapUpstreamError. */
  mapError?: (status: number, headers: Headers, bodyText: string) => ApiError;
}

/** Whether the caller asked for a final usage chunk itself. */
export function clientWantsStreamUsage(body: Record<string, unknown>): boolean {
  return (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
}

/**
 * Upstream URLs that refused `stream_options` (servers that reject fields they do not know, such as
 * pydantic `extra="forbid"` APIs), per isolate: they are not sent it again. The field only asks for
 * the usage chunk, which the gateway writes itself when the upstream sends none.
 */
const refusesStreamOptions = new Set<string>();

/** A 400/422 that names `stream_options`: the upstream does not know the field. */
function rejectsStreamOptions(status: number, text: string): boolean {
  return (status === 400 || status === 422) && text.includes("stream_options");
}

function withoutStreamOptions(body: Record<string, unknown>): Record<string, unknown> {
  const { stream_options: _, ...rest } = body;
  return rest;
}

/**
 * One call to an upstream that speaks OpenAI's format (OpenAI, Azure OpenAI, a Databricks
 * workspace, any compatible server): POST, map its errors, and forward its answer while reading the
 * usage (see forwardOpenAiResponse). An upstream that refuses `stream_options` (the client's, or the
 * one the gateway adds to count streamed tokens exactly) is asked once more without it; the client
 * still gets its usage chunk, from chunks that carry usage or estimated.
 */
export async function callOpenAiCompatible(call: ProviderCall, request: OpenAiCompatibleRequest): Promise<Response> {
  const embeddings = call.task === "llm/v1/embeddings";
  let body = request.body;
  if (embeddings && !request.forwardsEncodingFormat && body.encoding_format !== undefined) {
    const { encoding_format: _, ...rest } = body;
    body = rest;
  }
  if (call.stream && request.injectStreamUsage) body = withStreamUsage(body);
  if (refusesStreamOptions.has(request.url)) body = withoutStreamOptions(body);
  const post = (sent: Record<string, unknown>) =>
    fetchUpstream(
      request.url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: call.stream ? "text/event-stream" : "application/json",
          ...request.headers,
        },
        body: JSON.stringify(sent),
      },
      { ...upstreamDeadlines(call), provider: request.provider },
    );
  let response = await post(body);
  if (!response.ok) {
    let text = await response.text();
    if (body.stream_options !== undefined && rejectsStreamOptions(response.status, text)) {
      refusesStreamOptions.add(request.url);
      response = await post(withoutStreamOptions(body));
      text = response.ok ? "" : await response.text();
    }
    if (!response.ok)
      throw request.mapError
        ? request.mapError(response.status, response.headers, text)
        : mapUpstreamError(response.status, response.headers, text, request.provider);
  }
  return forwardOpenAiResponse(response, {
    provider: request.provider,
    redact: call.redact,
    stream: call.stream,
    clientWantsUsage: clientWantsStreamUsage(call.body),
    promptText: promptText(call.body),
    ...(embeddings ? { embeddings: { encodingFormat: call.body.encoding_format } } : {}),
    onUsage: call.onUsage,
  });
}
