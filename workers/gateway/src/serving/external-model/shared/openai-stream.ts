import type { ApiError } from "@edgeserve/api";
import { wireFinishReason } from "./finish-reason";
import { toOpenAiChunk } from "./openai-format";
import { encodeSse, sseJsonEvent } from "./sse";
import { recordedFailure, streamErrorEvent, streamFailure } from "./stream-error-event";
import type { UnifiedChunk, UnifiedUsage } from "./unified";
import { estimatedUsage, openAiUsage } from "./usage";

export interface StreamOptions {
  /** The provider's name in error messages. */
  provider: string;
  /** Removes the endpoint's credentials from a provider's text in an error event (ProviderCall.redact). */
  redact(text: string): string;
  id: string;
  model: string;
  created: number;
  /** `stream_options.include_usage`: end with a chunk that has `usage` and empty `choices`. */
  includeUsage: boolean;
  /** `chat.completion.chunk` events, or `text_completion` events for llm/v1/completions. */
  kind?: "chat" | "text";
  /** The request's text, to estimate prompt tokens when the provider reports none. */
  promptText: string;
  /**
   * Called once with the final usage, however the stream ends (done, error, or client gone), and the error
   * it ended with.
   */
  onUsage: (usage: UnifiedUsage, failed?: ApiError) => void;
}

/**
 * Turns a provider's unified chunks into an OpenAI SSE response ending with `data: [DONE]`.
 * The first chunk is awaited before answering, so an upstream error before the first byte
 * becomes an HTTP error status rather than a 200 with an error inside; a later one ends the stream
 * with an error event. Usage: with `includeUsage` a final usage-only chunk; without it, `usage` on the
 * last chunk with a finish_reason (held back until the usage is known), as Databricks streams carry it.
 */
export async function openAiStreamResponse(
  chunks: AsyncIterable<UnifiedChunk>,
  options: StreamOptions,
): Promise<Response> {
  const iterator = chunks[Symbol.asyncIterator]();
  let first: IteratorResult<UnifiedChunk>;
  try {
    first = await iterator.next();
  } catch (error) {
    throw streamFailure(error, options.provider);
  }
  let completion = "";
  let usage: UnifiedUsage | undefined;
  const finalUsage = (): UnifiedUsage => {
    const estimate = estimatedUsage(options.promptText, completion);
    return usage ? { ...usage, promptTokens: usage.promptTokens || estimate.promptTokens } : estimate;
  };
  let reported = false;
  const report = (failed?: ApiError) => {
    if (reported) return;
    reported = true;
    options.onUsage(finalUsage(), failed && recordedFailure(failed));
  };
  const meta = { id: options.id, model: options.model, created: options.created };
  const object = options.kind === "text" ? "text_completion" : "chat.completion.chunk";
  const toEvent = (chunk: UnifiedChunk): Record<string, unknown> | null => {
    if (chunk.usage) usage = chunk.usage;
    if (chunk.content) completion += chunk.content;
    for (const t of chunk.toolCalls ?? []) completion += `${t.name ?? ""}${t.arguments ?? ""}`;
    const carries =
      chunk.role || chunk.content !== undefined || chunk.toolCalls?.length || chunk.finishReason !== undefined;
    if (!carries) return null;
    if (options.kind === "text")
      return {
        ...meta,
        object,
        choices: [
          { index: chunk.index ?? 0, text: chunk.content ?? "", finish_reason: wireFinishReason(chunk.finishReason) },
        ],
      };
    return toOpenAiChunk(chunk, meta);
  };
  /** The last finish chunk, held back to carry the usage when the client asked for no usage chunk. */
  let held: Record<string, unknown> | null = null;
  const release = (withUsage: boolean): string => {
    const out = held ? sseJsonEvent(withUsage ? { ...held, usage: openAiUsage(finalUsage()) } : held) : "";
    held = null;
    return out;
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
            let out = release(true);
            if (options.includeUsage)
              out += sseJsonEvent({ ...meta, object, choices: [], usage: openAiUsage(finalUsage()) });
            controller.enqueue(encodeSse(`${out}data: [DONE]\n\n`));
            controller.close();
            return;
          }
          const json = toEvent(step.value);
          if (!json) continue;
          const out = release(false);
          if (!options.includeUsage && step.value.finishReason) {
            held = json;
            if (!out) continue;
            controller.enqueue(encodeSse(out));
          } else controller.enqueue(encodeSse(out + sseJsonEvent(json)));
          return;
        }
      } catch (error) {
        const failure = streamFailure(error, options.provider);
        report(failure);
        const out = release(false);
        if (out) controller.enqueue(encodeSse(out));
        controller.enqueue(encodeSse(streamErrorEvent(failure, options.redact)));
        controller.close();
        await iterator.return?.(undefined);
      }
    },
    async cancel() {
      report();
      await iterator.return?.(undefined);
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}
