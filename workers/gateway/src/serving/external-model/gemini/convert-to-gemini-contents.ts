import { errors } from "@edgeserve/api";
import type { GeminiContent, GeminiPart, GeminiRequest } from "./gemini-types";

interface OpenAiMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** `data:<mime>;base64,<data>` → Gemini inline data; Gemini cannot fetch arbitrary URLs itself. */
function imagePart(url: string, provider: string): GeminiPart {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (!m) throw errors.invalid(`${provider} does not support image URLs; send images as base64 data: URLs.`);
  return { inlineData: { mimeType: m[1]!, data: m[2]! } };
}

/** A content part as a client sent it: only `type` is checked before here. */
interface ContentPart {
  type?: unknown;
  text?: unknown;
  image_url?: unknown;
  input_audio?: { format?: unknown; data?: unknown };
}

/** `image_url` is `{url}` in OpenAI's format; a bare string is accepted too. */
function imageUrl(part: ContentPart): string {
  const image = part.image_url;
  const url = image && typeof image === "object" && "url" in image ? image.url : undefined;
  return String(url ?? image ?? "");
}

const AUDIO_MIME: Record<string, string> = { wav: "audio/wav", mp3: "audio/mp3" };

function userParts(content: unknown, provider: string, role: string): GeminiPart[] {
  if (typeof content === "string") return [{ text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content))
    throw errors.invalid(`messages: the content of a ${role} message must be a string or an array of parts.`);
  return content.map((part: ContentPart | null) => {
    switch (part?.type) {
      case "text":
        return { text: String(part.text ?? "") };
      case "image_url":
        return imagePart(imageUrl(part), provider);
      case "input_audio": {
        const mimeType = AUDIO_MIME[String(part.input_audio?.format)];
        if (!mimeType)
          throw errors.invalid(
            `${provider} does not support audio format '${part.input_audio?.format}' (use wav or mp3).`,
          );
        return { inlineData: { mimeType, data: String(part.input_audio?.data ?? "") } };
      }
      default:
        throw errors.invalid(`${provider} does not support content parts of type '${part?.type}'.`);
    }
  });
}

function textOnly(content: unknown, what: string, provider: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content))
    return content
      .map((p: Record<string, unknown>) => {
        if (p?.type !== "text")
          throw errors.invalid(`${provider} does not support '${p?.type}' parts in ${what} messages.`);
        return String(p.text ?? "");
      })
      .join("");
  throw errors.invalid(`messages: the content of a ${what} message must be a string or an array of text parts.`);
}

/** Tool results must be JSON objects for Gemini: an object is sent as is, anything else as `{content}`. */
function toolResponse(content: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(content);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    return { content: parsed };
  } catch {
    return { content };
  }
}

function parseArguments(text: string, name: string): Record<string, unknown> {
  try {
    const args: unknown = JSON.parse(text || "{}");
    if (args && typeof args === "object" && !Array.isArray(args)) return args as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw errors.invalid(`messages: the arguments of the tool call '${name}' must be a JSON object.`);
}

/**
 * OpenAI chat messages → Gemini `contents` (roles user/model) and `systemInstruction`.
 * - system/developer messages at the start become `systemInstruction` (Gemini has no later ones: 400).
 * - assistant `tool_calls` become `functionCall` parts; `tool` messages become `functionResponse`
 *   parts of one user turn. Gemini calls carry no ids, so a tool result is matched to its function
 *   by looking its `tool_call_id` up among the earlier assistant tool calls.
 */
export function convertToGeminiContents(
  messages: OpenAiMessage[],
  provider: string,
): Pick<GeminiRequest, "contents" | "systemInstruction"> {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  let seenNonSystem = false;

  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "developer": {
        if (seenNonSystem)
          throw errors.invalid(`${provider} supports system messages only at the start of the conversation.`);
        system.push({ text: textOnly(message.content, message.role, provider) });
        break;
      }
      case "user": {
        seenNonSystem = true;
        contents.push({ role: "user", parts: userParts(message.content, provider, "user") });
        break;
      }
      case "assistant": {
        seenNonSystem = true;
        const parts: GeminiPart[] = [];
        const text = textOnly(message.content, "assistant", provider);
        if (text) parts.push({ text });
        for (const call of message.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          parts.push({
            functionCall: {
              name: call.function.name,
              args: parseArguments(call.function.arguments, call.function.name),
            },
          });
        }
        if (parts.length === 0) parts.push({ text: "" });
        contents.push({ role: "model", parts });
        break;
      }
      case "tool": {
        seenNonSystem = true;
        const name = (message.tool_call_id && toolNames.get(message.tool_call_id)) || message.name;
        if (!name)
          throw errors.invalid(
            `messages: the tool message's tool_call_id ` +
              `'${message.tool_call_id ?? ""}' matches no earlier assistant tool call.`,
          );
        const part: GeminiPart = {
          functionResponse: { name, response: toolResponse(textOnly(message.content, "tool", provider)) },
        };
        const last = contents.at(-1);
        // Results of parallel calls go back together, in one user turn of functionResponse parts.
        if (last?.role === "user" && last.parts.every((p) => "functionResponse" in p)) last.parts.push(part);
        else contents.push({ role: "user", parts: [part] });
        break;
      }
      default:
        throw errors.invalid(`${provider} does not support messages with role '${message.role}'.`);
    }
  }
  if (contents.length === 0)
    throw errors.invalid(`${provider} needs at least one user message besides the system prompt.`);
  return system.length ? { contents, systemInstruction: { parts: system } } : { contents };
}
