import type { ChatMessage } from "@edgeserve/api";

/** Token counts as the gateway reports them (OpenAI's `usage`). */
export interface Usage {
  prompt_tokens: number;
  completion_tokens?: number;
  total_tokens: number;
}

export type ToolCall = NonNullable<ChatMessage["tool_calls"]>[number];

/** The assistant's reply as far as it has arrived. */
export interface Reply {
  content: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  usage?: Usage;
}

/** One `chat.completion.chunk` of an OpenAI stream, with only the fields the Playground reads. */
interface ChatChunk {
  choices?: {
    index?: number;
    delta?: {
      content?: string | null;
      tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: Usage | null;
}

export function emptyReply(): Reply {
  return { content: "", toolCalls: [], finishReason: null };
}

/**
 * Folds one stream chunk into the reply. Tool calls arrive in pieces keyed by `index`: the first piece carries
 * the id and name (set, as OpenAI's SDK does, not appended), later ones append to `arguments`. Only choice 0 is
 * read (the Playground never sends `n`).
 * Returns whether the chunk carried output (text or a tool call), which is what "first token" means.
 */
export function applyChunk(reply: Reply, chunk: ChatChunk): boolean {
  if (chunk.usage) reply.usage = chunk.usage;
  let carried = false;
  for (const choice of chunk.choices ?? []) {
    if ((choice.index ?? 0) !== 0) continue;
    const delta = choice.delta ?? {};
    if (delta.content) {
      reply.content += delta.content;
      carried = true;
    }
    for (const piece of delta.tool_calls ?? []) {
      const at = piece.index ?? 0;
      const call = (reply.toolCalls[at] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
      if (piece.id) call.id = piece.id;
      if (piece.function?.name) call.function.name = piece.function.name;
      if (piece.function?.arguments) call.function.arguments += piece.function.arguments;
      carried = true;
    }
    if (choice.finish_reason) reply.finishReason = choice.finish_reason;
  }
  return carried;
}

/** A whole (non-streamed) `chat.completion` as a reply. */
export function replyOfCompletion(completion: {
  choices?: { message?: { content?: string | null; tool_calls?: ToolCall[] }; finish_reason?: string | null }[];
  usage?: Usage;
}): Reply {
  const choice = completion.choices?.[0];
  return {
    content: choice?.message?.content ?? "",
    toolCalls: choice?.message?.tool_calls ?? [],
    finishReason: choice?.finish_reason ?? null,
    ...(completion.usage ? { usage: completion.usage } : {}),
  };
}

/** The reply as the assistant message to send back in the next turn's history. */
export function assistantMessage(reply: Reply): ChatMessage {
  const toolCalls = reply.toolCalls.filter(Boolean);
  return {
    role: "assistant",
    content: reply.content || (toolCalls.length ? null : ""),
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
  };
}
