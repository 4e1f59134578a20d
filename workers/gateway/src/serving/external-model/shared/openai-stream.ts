import { ApiError } from "@edgeserve/api";
import { toOpenAiChunk } from "./openai-format";
import { encodeSseData } from "./sse";
import type { UnifiedChunk, UnifiedUsage } from "./unified";
import { estimatedUsage, openAiUsage } from "./usage";

export interface StreamOptions {
  id: string;
  model: string;
  created: number;
  /** `stream_options.include_usage`: end with a chunk that has `usage` and empty `choices`. */
  includeUsage: boolean;
  /** `chat.completion.chunk` events, or `text_completion` events for llm/v1/completions. */
  kind?: "chat" | "text";
  /** The request's text, to estimate prompt tokens when the provider reports none. */
  promptText: string;
  /** Called once with the final usage, however the stream ends (done, error, or client gone). */
  onUsage: (usage: UnifiedUsage) => void;
}

function errorEvent(error: unknown) {
  const api = error instanceof ApiError ? error : new ApiError("BAD_GATEWAY", "The provider's stream failed.", { status: 502 });
  return { error: { error_code: api.code, message: api.message } };
}

/**
 * Turns a provider's unified chunks into an OpenAI SSE response ending with `data: [DONE]`.
 * The first chunk is awaited before answering, so an upstream error before the first byte
 * becomes an HTTP error status rather than a 200 with an error inside.
 */
export async function openAiStreamResponse(chunks: AsyncIterable<UnifiedChunk>, options: StreamOptions): Promise<Response> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  let completion = "";
  let usage: UnifiedUsage | undefined;
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    const estimate = estimatedUsage(options.promptText, completion);
    options.onUsage(usage ? { ...usage, promptTokens: usage.promptTokens || estimate.promptTokens } : estimate);
  };
  const meta = { id: options.id, model: options.model, created: options.created };
  const encode = (chunk: UnifiedChunk): Uint8Array | null => {
    if (chunk.usage) usage = chunk.usage;
    if (chunk.content) completion += chunk.content;
    for (const t of chunk.toolCalls ?? []) completion += `${t.name ?? ""}${t.arguments ?? ""}`;
    const carries = chunk.role || chunk.content !== undefined || chunk.toolCalls?.length || chunk.finishReason !== undefined;
    if (!carries) return null;
    if (options.kind === "text")
      return encodeSseData(JSON.stringify({ ...meta, object: "text_completion", choices: [{ index: chunk.index ?? 0, text: chunk.content ?? "", finish_reason: chunk.finishReason ?? null }] }));
    return encodeSseData(JSON.stringify(toOpenAiChunk(chunk, meta)));
  };

  let pending: IteratorResult<UnifiedChunk> | null = first;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const step = pending ?? (await iterator.next());
          pending = null;
          if (step.done) {
            report();
            if (options.includeUsage) {
              const final = usage ?? estimatedUsage(options.promptText, completion);
              const object = options.kind === "text" ? "text_completion" : "chat.completion.chunk";
              controller.enqueue(encodeSseData(JSON.stringify({ ...meta, object, choices: [], usage: openAiUsage(final) })));
            }
            controller.enqueue(encodeSseData("[DONE]"));
            controller.close();
            return;
          }
          const bytes = encode(step.value);
          if (bytes) {
            controller.enqueue(bytes);
            return;
          }
        }
      } catch (error) {
        report();
        controller.enqueue(encodeSseData(JSON.stringify(errorEvent(error))));
        controller.close();
      }
    },
    async cancel() {
      report();
      await iterator.return?.(undefined);
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
}
