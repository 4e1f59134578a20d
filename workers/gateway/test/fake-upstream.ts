import { vi } from "vitest";

interface RecordedCall {
  url: string;
  headers: Record<string, string>;
  body: any;
}

/** One OpenAI chat-completion chunk as an SSE event (`data: …`). */
export function chatChunkEvent(model: string, delta: object, finish: string | null): string {
  const chunk = {
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * Replaces global fetch (the worker shares the test's isolate) with an OpenAI-compatible
 * upstream that validates what it receives, for tests that need no real socket.
 * The e2e suite uses a real mock server instead.
 */
export function fakeOpenAiUpstream(
  options: {
    status?: number;
    errorBody?: unknown;
    headers?: Record<string, string>;
    delayMs?: number;
    /** A stream sends its first chunk, then this as OpenAI's mid-stream error event (`data: {"error": …}`). */
    streamError?: unknown;
  } = {},
) {
  const calls: RecordedCall[] = [];
  const state = { aborted: 0 };
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = (await request.json()) as any;
    calls.push({ url: request.url, headers: Object.fromEntries(request.headers), body });
    if (options.delayMs) {
      await new Promise((resolve, reject) => {
        const t = setTimeout(resolve, options.delayMs);
        request.signal.addEventListener("abort", () => {
          state.aborted++;
          clearTimeout(t);
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    }
    if (options.status && options.status >= 400) {
      return Response.json(
        options.errorBody ?? {
          error: { message: "upstream says no", type: "invalid_request_error", param: null, code: null },
        },
        { status: options.status, headers: options.headers },
      );
    }
    if (typeof body.model !== "string")
      return Response.json({ error: { message: "model is required", type: "invalid_request_error" } }, { status: 400 });
    if ("client_request_id" in body || "usage_context" in body)
      return Response.json({ error: { message: "Unrecognized request argument supplied" } }, { status: 400 });
    const url = new URL(request.url);
    if (url.pathname.endsWith("/embeddings")) {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      return Response.json({
        object: "list",
        model: body.model,
        data: inputs.map((_: unknown, index: number) => ({ object: "embedding", index, embedding: [0.1, 0.2, 0.3] })),
        usage: { prompt_tokens: 3, total_tokens: 3 },
      });
    }
    if (url.pathname.endsWith("/completions") && !url.pathname.endsWith("/chat/completions")) {
      return Response.json({
        id: "cmpl-1",
        object: "text_completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, text: "done", finish_reason: "stop" }],
        usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 },
      });
    }
    if (!Array.isArray(body.messages))
      return Response.json({ error: { message: "messages is required" } }, { status: 400 });
    if (body.stream) {
      const chunk = (delta: object, finish: string | null) => chatChunkEvent(body.model, delta, finish);
      const chunks = ["Hel", "lo"].map((content, i) =>
        chunk(i === 0 ? { role: "assistant", content } : { content }, null),
      );
      if (options.streamError !== undefined)
        return new Response(`${chunks[0]}data: ${JSON.stringify({ error: options.streamError })}\n\n`, {
          headers: { "content-type": "text/event-stream" },
        });
      chunks.push(chunk({}, "stop"), "data: [DONE]\n\n");
      return new Response(chunks.join(""), { headers: { "content-type": "text/event-stream" } });
    }
    return Response.json({
      id: "c1",
      object: "chat.completion",
      created: 1,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    });
  });
  return { calls, state, restore: () => spy.mockRestore() };
}
