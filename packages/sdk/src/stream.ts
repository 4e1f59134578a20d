import { EventSourceParserStream } from "eventsource-parser/stream";
import { ApiError, type ErrorCode } from "./api-error";
import type { EdgeserveClient } from "./client";
import type { components } from "./schema.gen";

export type ChatRequest = components["schemas"]["ChatRequest"];
export type CompletionsRequest = components["schemas"]["CompletionsRequest"];

/** One chunk of an OpenAI-style stream (`chat.completion.chunk`, or `text_completion` for completions). */
export interface StreamChunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices: {
    index: number;
    delta?: { role?: string; content?: string | null; [key: string]: unknown };
    text?: string;
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
}

export interface StreamOptions {
  signal?: AbortSignal;
}

/**
 * Queries an endpoint with `"stream": true` and yields its chunks as they arrive:
 *
 *   for await (const chunk of streamQuery(client, "my-chat", { messages })) write(chunkText(chunk));
 *
 * An error before the stream starts is thrown as the `ApiError` of the answer; one the gateway reports
 * mid-stream (`data: {"error": {error_code, message}}`) is thrown as an `ApiError` when it arrives.
 */
export async function* streamQuery(
  client: EdgeserveClient,
  endpoint: string,
  body: ChatRequest | CompletionsRequest,
  options: StreamOptions = {},
): AsyncGenerator<StreamChunk> {
  const { data, response } = await client.POST("/serving-endpoints/{name}/invocations", {
    params: { path: { name: endpoint } },
    body: { ...body, stream: true },
    headers: { Accept: "text/event-stream" },
    parseAs: "stream",
    ...(options.signal && { signal: options.signal }),
  });
  if (!data) throw ApiError.fromBody(response.status, "The answer to a streaming query had no body.");
  yield* readSse(data as ReadableStream<Uint8Array>, response.status);
}

/** The text a chunk adds (chat `delta.content` or completions `text`), "" when it adds none. */
export function chunkText(chunk: StreamChunk): string {
  const choice = chunk.choices[0];
  return choice?.delta?.content ?? choice?.text ?? "";
}

/** Parses an SSE body of JSON `data:` events ending with `data: [DONE]` (eventsource-parser does the framing). */
export async function* readSse(body: ReadableStream<Uint8Array>, status = 200): AsyncGenerator<StreamChunk> {
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    // A reader loop rather than `for await` over the stream: Safari's ReadableStream is not async-iterable.
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.data === "[DONE]") return;
      const event = JSON.parse(value.data) as StreamChunk | { error: { error_code: ErrorCode; message: string } };
      if ("error" in event) throw new ApiError(status, event.error);
      yield event;
    }
  } finally {
    reader.releaseLock();
  }
  throw new ApiError(status, { error_code: "BAD_GATEWAY", message: "The stream ended before `data: [DONE]`." });
}
