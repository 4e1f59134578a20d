/**
 * A stand-in for the Workers AI binding (`env.AI`), which has no local simulation: `run(model, inputs)` with
 * the documented shapes. Text generation takes `{messages: [{role, content: string}], stream?, max_tokens?,
 * tools?}` and answers `{response, tool_calls?, usage}`, or with `stream: true` a ReadableStream of SSE frames
 * `data: {"response": "…", "p": "…"}`, a last frame with `usage`, then `data: [DONE]`. Embeddings take
 * `{text: string[]}` and answer `{shape, data}`. Inputs outside those shapes throw, as the binding does
 * (error 5006, input validation), so a wrong call fails the test. Each call is recorded.
 */
import type { WorkersAiBinding } from "../src/serving/foundation-model/workers-ai/binding";

const INPUT_KEYS = new Set(["messages", "stream", "max_tokens", "temperature", "top_p", "top_k", "seed", "tools"]);

function validationError(detail: string): Error {
  return new Error(`5006: Error: required properties at '/' are 'prompt' or 'messages' (${detail})`);
}

function checkChatInputs(inputs: Record<string, unknown>): void {
  for (const key of Object.keys(inputs)) if (!INPUT_KEYS.has(key)) throw validationError(`unknown '${key}'`);
  const messages = inputs.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw validationError("messages");
  for (const m of messages as { role?: unknown; content?: unknown }[])
    if (typeof m.role !== "string" || typeof m.content !== "string") throw validationError("message shape");
  if (inputs.stream !== undefined && typeof inputs.stream !== "boolean") throw validationError("stream");
  if (inputs.max_tokens !== undefined && !Number.isInteger(inputs.max_tokens)) throw validationError("max_tokens");
}

/** `streamError`: a stream sends its first frame, then errors with it (as a binding whose connection drops). */
export function workersAiStandIn(options: { streamError?: Error } = {}) {
  const calls: { model: string; inputs: Record<string, unknown> }[] = [];
  const binding: WorkersAiBinding = {
    async run(model, inputs) {
      calls.push({ model, inputs });
      if (!model.startsWith("@cf/")) throw new Error(`5007: No such model ${model}`);
      if ("text" in inputs) {
        const texts = inputs.text;
        if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) throw validationError("text");
        return { shape: [texts.length, 4], data: texts.map((t: string) => [t.length, 1, 0, -1]) };
      }
      checkChatInputs(inputs);
      const usage = { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 };
      if (Array.isArray(inputs.tools))
        return { response: null, tool_calls: [{ name: "get_weather", arguments: { city: "Paris" } }], usage };
      if (!inputs.stream) return { response: "Hello there", usage };
      const frames = [
        { response: "Hello", p: "abcdefgh" },
        { response: " there", p: "abc" },
        { response: "", usage },
      ];
      const events = frames.map((f) => `data: ${JSON.stringify(f)}\n\n`);
      const { streamError } = options;
      if (streamError)
        return new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(events[0]));
          },
          pull(controller) {
            controller.error(streamError);
          },
        });
      return new Response(`${events.join("")}data: [DONE]\n\n`).body!;
    },
  };
  return { binding, calls };
}
