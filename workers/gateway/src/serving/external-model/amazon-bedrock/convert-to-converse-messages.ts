import { errors } from "@edgeserve/api";

/** Converse content blocks we send. */
type ConverseContentBlock =
  | { text: string }
  | { image: { format: string; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | {
      toolResult: {
        toolUseId: string;
        content: ({ text: string } | { json: unknown })[];
        status?: "success" | "error";
      };
    };

interface ConverseMessage {
  role: "user" | "assistant";
  content: ConverseContentBlock[];
}

export interface ConversePrompt {
  system?: { text: string }[];
  messages: ConverseMessage[];
}

interface OpenAiMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

const IMAGE_FORMATS = new Set(["png", "jpeg", "gif", "webp"]);

function textBlocks(content: unknown, where: string, images: boolean): ConverseContentBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) throw errors.invalid(`${where}.content must be a string or an array of content parts.`);
  return content.map((part: { type?: unknown; text?: unknown; image_url?: unknown }, i): ConverseContentBlock => {
    if (part?.type === "text" && typeof part.text === "string") return { text: part.text };
    if (images && part?.type === "image_url") {
      // Converse takes image bytes, not URLs: only data: URLs can be passed on.
      const image = part.image_url as { url?: unknown } | string | undefined;
      const url = typeof image === "string" ? image : typeof image?.url === "string" ? image.url : "";
      const m = /^data:image\/(\w+);base64,(.+)$/s.exec(url);
      const format = m?.[1] === "jpg" ? "jpeg" : m?.[1];
      if (m && format && IMAGE_FORMATS.has(format)) return { image: { format, source: { bytes: m[2]! } } };
      throw errors.invalid(
        `Amazon Bedrock takes images as base64 data: URLs (png, jpeg, gif or webp) only (${where}.content[${i}]).`,
      );
    }
    throw errors.invalid(
      `Amazon Bedrock does not support content parts of type '${String(part?.type)}' in ${where}.content[${i}].`,
    );
  });
}

function parseArguments(args: string, where: string): unknown {
  try {
    return args.trim() ? JSON.parse(args) : {};
  } catch {
    throw errors.invalid(`${where}: tool call arguments must be JSON.`);
  }
}

/**
 * OpenAI chat messages → Converse `system` + `messages`. System/developer prompts go to `system`;
 * tool results (role `tool`) become `toolResult` blocks of a user turn; consecutive messages of
 * the same role are merged, since Converse requires user and assistant turns to alternate.
 */
export function convertToConverseMessages(messages: readonly OpenAiMessage[]): ConversePrompt {
  const system: { text: string }[] = [];
  const out: ConverseMessage[] = [];
  const push = (role: "user" | "assistant", content: ConverseContentBlock[]) => {
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    if (m.name !== undefined) throw errors.invalid(`Amazon Bedrock does not support message names (${where}.name).`);
    switch (m.role) {
      case "system":
      case "developer":
        for (const block of textBlocks(m.content, where, false)) system.push(block as { text: string });
        return;
      case "user":
        push("user", textBlocks(m.content, where, true));
        return;
      case "assistant": {
        const content = textBlocks(m.content, where, false);
        for (const [j, t] of (m.tool_calls ?? []).entries())
          content.push({
            toolUse: {
              toolUseId: t.id,
              name: t.function.name,
              input: parseArguments(t.function.arguments, `${where}.tool_calls[${j}]`),
            },
          });
        push("assistant", content);
        return;
      }
      case "tool": {
        if (!m.tool_call_id) throw errors.invalid(`${where}.tool_call_id is required for tool messages.`);
        const text = textBlocks(m.content, where, false)
          .map((b) => (b as { text: string }).text)
          .join("");
        push("user", [{ toolResult: { toolUseId: m.tool_call_id, content: [{ text }] } }]);
        return;
      }
      default:
        throw errors.invalid(`Amazon Bedrock does not support messages with role '${m.role}' (${where}).`);
    }
  });
  for (const [i, m] of out.entries())
    if (!m.content.length)
      throw errors.invalid(`Amazon Bedrock needs content in every message (message ${i} is empty).`);
  return { ...(system.length ? { system } : {}), messages: out };
}
