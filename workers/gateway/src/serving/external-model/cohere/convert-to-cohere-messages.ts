import { errors } from "@edgeserve/api";

/** One message of Cohere's v2 chat (`messages[]`). */
export type CohereMessage =
  | { role: "system"; content: string | CohereTextPart[] }
  | { role: "user"; content: string | (CohereTextPart | CohereImagePart)[] }
  | { role: "assistant"; content?: string | CohereTextPart[]; tool_plan?: string; tool_calls?: CohereToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string | CohereTextPart[] };

interface CohereTextPart {
  type: "text";
  text: string;
}
interface CohereImagePart {
  type: "image_url";
  image_url: { url: string };
}
interface CohereToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

interface OpenAiMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** OpenAI content (a string or parts) → Cohere text parts; `images` allows `image_url` parts (user messages). */
function convertContent(
  content: unknown,
  where: string,
  images: boolean,
): string | (CohereTextPart | CohereImagePart)[] {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw errors.invalid(`${where}.content must be a string or an array of content parts.`);
  return content.map((part: { type?: unknown; text?: unknown; image_url?: unknown }, i) => {
    if (part?.type === "text" && typeof part.text === "string") return { type: "text" as const, text: part.text };
    if (images && part?.type === "image_url") {
      const image = part.image_url as { url?: unknown } | string | undefined;
      const url = typeof image === "string" ? image : image?.url;
      if (typeof url === "string") return { type: "image_url" as const, image_url: { url } };
    }
    throw errors.invalid(
      `Cohere does not support content parts of type '${String(part?.type)}' in ${where}.content[${i}].`,
    );
  });
}

function textOnly(content: unknown, where: string): string | CohereTextPart[] {
  return convertContent(content, where, false) as string | CohereTextPart[];
}

function plainText(content: string | CohereTextPart[]): string {
  return typeof content === "string" ? content : content.map((p) => p.text).join("");
}

/**
 * OpenAI chat messages → Cohere v2 messages. System and developer prompts become `system`
 * messages; assistant tool calls keep their ids, and the assistant's text beside them becomes
 * Cohere's `tool_plan`; `tool` results answer by `tool_call_id`.
 */
export function convertToCohereMessages(messages: readonly OpenAiMessage[]): CohereMessage[] {
  return messages.map((m, i): CohereMessage => {
    const where = `messages[${i}]`;
    if (m.name !== undefined) throw errors.invalid(`Cohere does not support message names (${where}.name).`);
    switch (m.role) {
      case "system":
      case "developer":
        return { role: "system", content: textOnly(m.content, where) };
      case "user":
        return { role: "user", content: convertContent(m.content, where, true) };
      case "assistant": {
        const content = textOnly(m.content, where);
        if (!m.tool_calls?.length) return { role: "assistant", content };
        const toolCalls = m.tool_calls.map((t) => ({
          id: t.id,
          type: "function" as const,
          function: { name: t.function.name, arguments: t.function.arguments },
        }));
        const plan = plainText(content);
        return { role: "assistant", ...(plan ? { tool_plan: plan } : {}), tool_calls: toolCalls };
      }
      case "tool":
        if (!m.tool_call_id) throw errors.invalid(`${where}.tool_call_id is required for tool messages.`);
        return { role: "tool", tool_call_id: m.tool_call_id, content: textOnly(m.content, where) };
      default:
        throw errors.invalid(`Cohere does not support messages with role '${m.role}' (${where}).`);
    }
  });
}
