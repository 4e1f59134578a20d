/**
 * The part of the Workers AI binding (`env.AI`, wrangler.toml `[ai] binding = "AI"`) the gateway uses:
 * `run(model, inputs, {signal})` answers JSON (`{response, tool_calls, usage}`, embeddings `{shape, data}`),
 * or with `stream: true` a ReadableStream of SSE frames `data: {"response": "…"}`, ending `data: [DONE]`.
 * Declared here rather than taken from workers-types' `Ai` so tests can bind a stand-in with the same shapes.
 */
export interface WorkersAiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
}
