import { vi } from "vitest";

/** Words that give the fake embeddings their dimensions: texts sharing words point the same way. */
const CONCEPTS = ["cook", "recipe", "pasta", "soup", "travel", "flight", "hotel", "bank", "loan"];

/** A deterministic embedding: one dimension per concept word the text contains. */
function conceptVector(text: string): number[] {
  const lower = text.toLowerCase();
  return CONCEPTS.map((word) => (lower.includes(word) ? 1 : 0));
}

export interface FakeModels {
  /** What the chat model answers next; a list is streamed as one delta per item. */
  reply: string[];
  chatCalls: any[];
  safetyCalls: any[];
  embeddingCalls: any[];
  restore(): void;
}

/**
 * Replaces fetch with three OpenAI-compatible upstreams, each validating its request:
 * the chat model (upstream.test), a Llama-Guard-style safety classifier (guard.test) that answers
 * "unsafe\nS9" when the user's text mentions a weapon, and an embedder (embed.test) of concept vectors.
 */
export function fakeModels(): FakeModels {
  const state: FakeModels = {
    reply: ["Hello"],
    chatCalls: [],
    safetyCalls: [],
    embeddingCalls: [],
    restore: () => spy.mockRestore(),
  };
  const invalid = (message: string) =>
    Response.json({ error: { message, type: "invalid_request_error" } }, { status: 400 });
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = (await request.json()) as any;
    if (typeof body.model !== "string") return invalid("model is required");
    if (url.host === "embed.test" && url.pathname === "/v1/embeddings") {
      if (!Array.isArray(body.input) || !body.input.every((t: unknown) => typeof t === "string"))
        return invalid("input must be a list of strings");
      state.embeddingCalls.push(body);
      return Response.json({
        object: "list",
        model: body.model,
        data: body.input.map((t: string, index: number) => ({
          object: "embedding",
          index,
          embedding: conceptVector(t),
        })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    }
    if (url.pathname !== "/v1/chat/completions") return new Response("not found", { status: 404 });
    if (!Array.isArray(body.messages) || body.messages.length === 0) return invalid("messages is required");
    if (url.host === "guard.test") {
      state.safetyCalls.push(body);
      const text = JSON.stringify(body.messages);
      return chatAnswer(body.model, /weapon/i.test(text) ? "unsafe\nS9" : "safe");
    }
    if (url.host !== "upstream.test") return new Response("unknown host", { status: 502 });
    state.chatCalls.push(body);
    if (!body.stream) return chatAnswer(body.model, state.reply.join(""));
    const event = (choice: unknown) =>
      `data: ${JSON.stringify({
        id: "c1",
        object: "chat.completion.chunk",
        created: 1,
        model: body.model,
        choices: [choice],
      })}\n\n`;
    const events = state.reply.map((content, i) =>
      event({ index: 0, delta: i === 0 ? { role: "assistant", content } : { content }, finish_reason: null }),
    );
    events.push(event({ index: 0, delta: {}, finish_reason: "stop" }), "data: [DONE]\n\n");
    return new Response(events.join(""), { headers: { "content-type": "text/event-stream" } });
  });
  return state;
}

function chatAnswer(model: string, content: string): Response {
  return Response.json({
    id: "c1",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  });
}

/** The concatenated text of an OpenAI SSE body, and its error event if any. */
export function readStream(text: string): { content: string; error: any; done: boolean } {
  let content = "";
  let error: any = null;
  let done = false;
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: ")) continue;
    const data = line.slice(6);
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    const event = JSON.parse(data);
    if (event.error) error = event.error;
    for (const choice of event.choices ?? []) content += choice.delta?.content ?? choice.text ?? "";
  }
  return { content, error, done };
}
