import { errors } from "@edgeserve/api";
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from "./anthropic-types";

interface OpenAiMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface AnthropicPrompt {
  /** Top-level `system`: Anthropic has no system role inside `messages`. */
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** An OpenAI `image_url` part → an Anthropic image block (inline base64 data URL, or a URL source). */
function imageBlock(part: Record<string, unknown>, where: string): AnthropicImageBlock {
  const image = part.image_url;
  const url =
    typeof image === "string"
      ? image
      : image && typeof image === "object"
        ? (image as { url?: unknown }).url
        : undefined;
  if (typeof url !== "string" || url === "") throw errors.invalid(`${where}.image_url.url is required.`);
  const data = DATA_URL.exec(url);
  if (data) return { type: "image", source: { type: "base64", media_type: data[1]!, data: data[2]! } };
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  throw errors.invalid(`${where}.image_url.url must be an http(s) URL or a base64 data URL.`);
}

/**
 * OpenAI message content (string, parts or null) → Anthropic text/image blocks. Empty text is left out (Anthropic
 * rejects it).
 */
function contentBlocks(
  content: unknown,
  where: string,
  allowImages: boolean,
): (AnthropicTextBlock | AnthropicImageBlock)[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) throw errors.invalid(`${where}.content must be a string or an array of content parts.`);
  const out: (AnthropicTextBlock | AnthropicImageBlock)[] = [];
  content.forEach((raw, i) => {
    const part = raw as Record<string, unknown>;
    const at = `${where}.content[${i}]`;
    if (part?.type === "text" && typeof part.text === "string") {
      if (part.text !== "") out.push({ type: "text", text: part.text });
    } else if (part?.type === "image_url" && allowImages) out.push(imageBlock(part, at));
    else throw errors.invalid(`anthropic does not support content parts of type '${String(part?.type)}' here (${at}).`);
  });
  return out;
}

function textOnly(content: unknown, where: string): AnthropicTextBlock[] {
  return contentBlocks(content, where, false) as AnthropicTextBlock[];
}

function toolUseInput(args: string, where: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args === "" ? "{}" : args);
  } catch {
    throw errors.invalid(
      `${where}.function.arguments must be a JSON object (anthropic needs the tool input as an object).`,
    );
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw errors.invalid(`${where}.function.arguments must be a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** Anthropic wants a user turn's tool_result blocks before anything else in it. */
function toolResultsFirst(blocks: AnthropicContentBlock[]): AnthropicContentBlock[] {
  return [...blocks.filter((b) => b.type === "tool_result"), ...blocks.filter((b) => b.type !== "tool_result")];
}

/**
 * OpenAI chat messages → Anthropic's `system` + `messages`:
 * system/developer messages go to the top-level `system`; assistant `tool_calls` become `tool_use`
 * blocks; `tool` messages become `tool_result` blocks of a user turn; consecutive messages of one
 * role are merged into one turn (Anthropic alternates user/assistant). A message's `name` has no
 * Anthropic equivalent and is not sent.
 */
export function convertToAnthropicMessages(messages: readonly OpenAiMessage[]): AnthropicPrompt {
  const system: AnthropicTextBlock[] = [];
  const turns: { role: "user" | "assistant"; blocks: AnthropicContentBlock[] }[] = [];
  const push = (role: "user" | "assistant", blocks: AnthropicContentBlock[]) => {
    const last = turns.at(-1);
    if (last && last.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks: [...blocks] });
  };

  messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    switch (m.role) {
      case "system":
      case "developer":
        system.push(...textOnly(m.content, where));
        break;
      case "user":
        push("user", contentBlocks(m.content, where, true));
        break;
      case "assistant": {
        const blocks: AnthropicContentBlock[] = textOnly(m.content, where);
        (m.tool_calls ?? []).forEach((call, j) => {
          blocks.push({
            type: "tool_use",
            id: call.id,
            name: call.function.name,
            input: toolUseInput(call.function.arguments, `${where}.tool_calls[${j}]`),
          });
        });
        // An assistant message with no text and no tool calls carries nothing Anthropic could accept.
        if (blocks.length) push("assistant", blocks);
        break;
      }
      case "tool": {
        if (!m.tool_call_id) throw errors.invalid(`${where}.tool_call_id is required for a tool message.`);
        const result: AnthropicToolResultBlock = {
          type: "tool_result",
          tool_use_id: m.tool_call_id,
          content: typeof m.content === "string" ? m.content : textOnly(m.content, where),
        };
        push("user", [result]);
        break;
      }
      default:
        throw errors.invalid(`${where}.role '${m.role}' is not supported by anthropic.`);
    }
  });

  const out: AnthropicPrompt = {
    messages: turns.map((t) => {
      const blocks = t.role === "user" ? toolResultsFirst(t.blocks) : t.blocks;
      const only = blocks.length === 1 ? blocks[0] : undefined;
      // A lone text block is sent as a plain string, as Anthropic's own examples do.
      return { role: t.role, content: only?.type === "text" ? only.text : blocks.length === 0 ? "" : blocks };
    }),
  };
  if (system.length) out.system = system.length === 1 ? system[0]!.text : system;
  return out;
}
