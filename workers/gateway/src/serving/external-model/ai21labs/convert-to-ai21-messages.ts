import { errors } from "@edgeserve/api";
import type { Ai21Message, Ai21ToolCall } from "./ai21-types";

interface OpenAiMessage {
  role?: unknown;
  content?: unknown;
  name?: unknown;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: unknown;
}

/** AI21 takes text only: a string, or OpenAI's `[{type:"text", text}]` parts joined. */
function textOf(content: unknown, where: string): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((part: { type?: unknown; text?: unknown }) => {
        if (part?.type !== "text" || typeof part.text !== "string")
          throw errors.invalid(`ai21labs supports only text content; ${where} has a '${String(part?.type)}' part.`);
        return part.text;
      })
      .join("");
  throw errors.invalid(`${where}.content must be a string or an array of text parts.`);
}

/**
 * OpenAI chat messages → AI21's. System (and developer) prompts stay system messages; assistant
 * tool calls and `tool` results keep OpenAI's shape, which AI21 uses too.
 */
export function convertToAi21Messages(messages: OpenAiMessage[]): Ai21Message[] {
  return messages.map((m, i) => {
    const where = `messages[${i}]`;
    if (m.name !== undefined) throw errors.invalid(`ai21labs does not support the message field 'name' (${where}).`);
    switch (m.role) {
      case "system":
      case "developer":
        return { role: "system", content: textOf(m.content, where) };
      case "user":
        return { role: "user", content: textOf(m.content, where) };
      case "assistant": {
        const toolCalls: Ai21ToolCall[] | undefined = m.tool_calls?.map((t) => ({
          id: t.id,
          type: "function",
          function: { name: t.function.name, arguments: t.function.arguments },
        }));
        return {
          role: "assistant",
          content: textOf(m.content, where),
          ...(toolCalls?.length ? { tool_calls: toolCalls } : {}),
        };
      }
      case "tool":
        if (typeof m.tool_call_id !== "string")
          throw errors.invalid(`${where}.tool_call_id is required for a tool message.`);
        return { role: "tool", content: textOf(m.content, where), tool_call_id: m.tool_call_id };
      default:
        throw errors.invalid(`ai21labs does not support the role '${String(m.role)}' (${where}).`);
    }
  });
}
