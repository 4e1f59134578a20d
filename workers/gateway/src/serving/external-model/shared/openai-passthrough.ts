import { textResponse } from "../../../http/known-body-text";
import { encodeSse, encodeSseData, readSseEventBatches } from "./sse";
import type { UnifiedUsage } from "./unified";
import { estimatedUsage, estimateTokens } from "./usage";

interface OpenAiUsageBody {
  prompt_tokens?: number;
  completion_tokens?: number;
}

function fromOpenAiUsage(usage: OpenAiUsageBody | undefined): UnifiedUsage | null {
  if (!usage || typeof usage.prompt_tokens !== "number") return null;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? 0 };
}

/** Text an OpenAI-format answer produced (choices' message/text/delta), for estimating completion tokens. */
export function openAiOutputText(json: { choices?: { message?: { content?: unknown; tool_calls?: unknown }; text?: unknown; delta?: { content?: unknown; tool_calls?: unknown } }[] }): string {
  let out = "";
  for (const c of json.choices ?? []) {
    const content = c.message?.content ?? c.text ?? c.delta?.content;
    if (typeof content === "string") out += content;
    const tools = c.message?.tool_calls ?? c.delta?.tool_calls;
    if (tools) out += JSON.stringify(tools);
  }
  return out;
}

/** Asks an OpenAI-compatible upstream to end its stream with usage, so streamed calls are counted exactly. */
export function withStreamUsage(body: Record<string, unknown>): Record<string, unknown> {
  if (body.stream !== true) return body;
  const options = body.stream_options && typeof body.stream_options === "object" ? (body.stream_options as Record<string, unknown>) : {};
  return { ...body, stream_options: { ...options, include_usage: true } };
}

/**
 * Forwards an OpenAI-format answer unchanged while reading its usage (or estimating it). A JSON
 * body is passed through as the same text; a stream is re-framed event by event with each event's
 * data untouched, and the usage-only chunk is dropped unless the client asked for it.
 */
export async function forwardOpenAiResponse(
  response: Response,
  options: { stream: boolean; clientWantsUsage: boolean; promptText: string; embeddings?: boolean; onUsage: (usage: UnifiedUsage) => void },
): Promise<Response> {
  if (!options.stream || !response.body) {
    const text = await response.text();
    let usage: UnifiedUsage;
    try {
      const json = JSON.parse(text) as { usage?: OpenAiUsageBody; choices?: [] };
      usage = fromOpenAiUsage(json.usage) ?? (options.embeddings ? { promptTokens: estimateTokens(options.promptText), completionTokens: 0, estimated: true } : estimatedUsage(options.promptText, openAiOutputText(json)));
    } catch {
      usage = estimatedUsage(options.promptText, "");
    }
    options.onUsage(usage);
    return textResponse(text, { status: 200, headers: { "content-type": "application/json" } });
  }

  const batches = readSseEventBatches(response.body);
  let completion = "";
  let usage: UnifiedUsage | null = null;
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    options.onUsage(usage ?? estimatedUsage(options.promptText, completion));
  };
  // What one upstream read brought is forwarded in one chunk: a role chunk and the first token that
  // arrived together leave together, without a write and another pull in between.
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const step = await batches.next().catch(() => ({ done: true as const, value: undefined }));
        if (step.done) {
          report();
          controller.enqueue(encodeSseData("[DONE]"));
          controller.close();
          return;
        }
        let out = "";
        for (const { data } of step.value) {
          if (data === "[DONE]") {
            report();
            controller.enqueue(encodeSse(`${out}data: [DONE]\n\n`));
            controller.close();
            await batches.return(undefined);
            return;
          }
          try {
            const json = JSON.parse(data) as { usage?: OpenAiUsageBody | null; choices?: [] };
            const found = fromOpenAiUsage(json.usage ?? undefined);
            if (found) usage = found;
            completion += openAiOutputText(json);
            const usageOnly = found && (!json.choices || json.choices.length === 0);
            if (usageOnly && !options.clientWantsUsage) continue;
          } catch {
            // not JSON: forward as is
          }
          out += `data: ${data}\n\n`;
        }
        if (out) {
          controller.enqueue(encodeSse(out));
          return;
        }
      }
    },
    async cancel() {
      report();
      await batches.return(undefined);
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
}
