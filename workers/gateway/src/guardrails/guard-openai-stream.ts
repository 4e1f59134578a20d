import { ApiError, type GuardrailParameters } from "@edgeserve/api";
import { encodeSseData, readSseEvents } from "../serving/external-model/shared/sse";
import { type GuardrailBlock, guardrailError } from "./guardrail-block";
import { HeldBackText, PATTERN_WINDOW, type WindowStep } from "./held-back-text";
import { needsWholeText } from "./screen-text";

export interface StreamGuardOptions {
  params: GuardrailParameters;
  /** The model-judged guardrails, on a choice's whole (masked) text. */
  judge(text: string): Promise<GuardrailBlock | null>;
  onBlock(block: GuardrailBlock): void;
  onMask(): void;
}

interface ChunkChoice {
  index?: number;
  delta?: { content?: unknown; [key: string]: unknown };
  text?: unknown;
  finish_reason?: unknown;
}

interface Chunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: ChunkChoice[];
  error?: unknown;
  usage?: unknown;
}

/**
 * Applies output guardrails to an OpenAI-format SSE stream (`chat.completion.chunk` or
 * `text_completion` events). Each choice's text goes through a held-back window (see HeldBackText):
 * masked text is sent as soon as it is safe; a block sends one error event in the stream's error
 * format ({"error": {error_code, message}}) and ends the stream, cancelling the upstream.
 * With safety or valid_topics, a choice's text is held until it ends, then judged as a whole.
 */
export function guardOpenAiStream(
  body: ReadableStream<Uint8Array>,
  options: StreamGuardOptions,
): ReadableStream<Uint8Array> {
  const holdBack = needsWholeText(options.params)
    ? Infinity
    : Math.max(PATTERN_WINDOW, ...(options.params.invalid_keywords ?? []).map((k) => k.length + 1));
  const windows = new Map<number, HeldBackText>();
  const windowOf = (index: number) => {
    let w = windows.get(index);
    if (!w) windows.set(index, (w = new HeldBackText(options.params, holdBack)));
    return w;
  };
  const events = readSseEvents(body);
  let meta: Pick<Chunk, "id" | "object" | "created" | "model"> = {};
  let ended = false;

  const stepText = (step: WindowStep): string => {
    if (step.block) throw step.block;
    if (step.masked > 0) options.onMask();
    return step.emit;
  };
  /** The rest of a choice's text, judged as a whole when the config asks for it. */
  const finish = async (index: number): Promise<string> => {
    const window = windows.get(index);
    if (!window) return "";
    windows.delete(index);
    const rest = stepText(window.flush());
    if (holdBack === Infinity) {
      const block = await options.judge(rest);
      if (block) throw block;
    }
    return rest;
  };
  /** A chunk carrying the texts still held back, for streams that end without a finish_reason per choice. */
  const flushAll = async (): Promise<Uint8Array | null> => {
    const choices: ChunkChoice[] = [];
    for (const index of [...windows.keys()]) {
      const text = await finish(index);
      if (text)
        choices.push(
          meta.object === "text_completion"
            ? { index, text, finish_reason: null }
            : { index, delta: { content: text }, finish_reason: null },
        );
    }
    return choices.length ? encodeSseData(JSON.stringify({ ...meta, choices })) : null;
  };
  const rewrite = async (chunk: Chunk): Promise<Chunk | null> => {
    if (!Array.isArray(chunk.choices) || chunk.error) return chunk;
    meta = { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model };
    let carries = chunk.usage !== undefined && chunk.usage !== null;
    const choices: ChunkChoice[] = [];
    for (const choice of chunk.choices) {
      const index = choice.index ?? 0;
      const isText = typeof choice.text === "string";
      const delta = isText
        ? (choice.text as string)
        : typeof choice.delta?.content === "string"
          ? choice.delta.content
          : "";
      let text = stepText(windowOf(index).push(delta));
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) text += await finish(index);
      const other =
        Object.keys(choice.delta ?? {}).some((k) => k !== "content") ||
        (choice.finish_reason !== null && choice.finish_reason !== undefined);
      if (text || other) carries = true;
      if (isText) choices.push({ ...choice, text });
      else {
        const guardedDelta = { ...choice.delta };
        if (typeof choice.delta?.content === "string" || text) guardedDelta.content = text;
        choices.push({ ...choice, delta: guardedDelta });
      }
    }
    return carries || chunk.choices.length === 0 ? { ...chunk, choices } : null;
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (ended) return;
      try {
        for (;;) {
          const step = await events.next();
          if (step.done || step.value.data === "[DONE]") {
            const rest = await flushAll();
            if (rest) controller.enqueue(rest);
            if (!step.done) controller.enqueue(encodeSseData("[DONE]"));
            ended = true;
            controller.close();
            await events.return(undefined);
            return;
          }
          let chunk: Chunk;
          try {
            chunk = JSON.parse(step.value.data) as Chunk;
          } catch {
            controller.enqueue(encodeSseData(step.value.data));
            return;
          }
          const guarded = await rewrite(chunk);
          if (guarded) {
            controller.enqueue(encodeSseData(JSON.stringify(guarded)));
            return;
          }
        }
      } catch (error) {
        ended = true;
        if (isBlock(error)) {
          options.onBlock(error);
          const api = guardrailError("output", error);
          controller.enqueue(encodeSseData(JSON.stringify({ error: { error_code: api.code, message: api.message } })));
        } else {
          // A guardrail that could not be evaluated fails closed, like a provider error mid-stream.
          const api = error instanceof ApiError ? error : new ApiError("BAD_GATEWAY", "The stream failed.");
          controller.enqueue(encodeSseData(JSON.stringify({ error: { error_code: api.code, message: api.message } })));
        }
        controller.close();
        await events.return(undefined);
      }
    },
    async cancel() {
      await events.return(undefined);
    },
  });
}

function isBlock(error: unknown): error is GuardrailBlock {
  return !!error && typeof error === "object" && "guardrail" in error && "reason" in error && !(error instanceof Error);
}
