import type { ChatMessage, ChatRequest } from "@edgeserve/api";
import { isRecord } from "./json-value";

/**
 * What the user sets for a chat request. Optional numbers left undefined are not sent, so the provider's own
 * default applies (the request shows exactly what was chosen). The endpoint is not a setting: each pane has
 * its own even when settings are synced.
 */
export interface ChatSettings {
  systemPrompt: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  /** Up to 4 stop sequences, as the API accepts. */
  stop: string[];
  stream: boolean;
  /** Tool definitions as typed: a JSON array of OpenAI function tools, or "" for none. */
  toolsJson: string;
}

export const DEFAULT_SETTINGS: ChatSettings = { systemPrompt: "", stop: [], stream: true, toolsJson: "" };

export const MAX_STOP_SEQUENCES = 4;
/** Function names OpenAI accepts; the gateway forwards tools as given. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export type ToolDefinition = NonNullable<ChatRequest["tools"]>[number];

/** The tool definitions of `toolsJson`, or a message saying what is wrong with them. */
export function parseTools(toolsJson: string): { tools: ToolDefinition[] } | { error: string } {
  if (!toolsJson.trim()) return { tools: [] };
  let value: unknown;
  try {
    value = JSON.parse(toolsJson);
  } catch (e) {
    return { error: `Tools are not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!Array.isArray(value)) return { error: 'Tools must be a JSON array of {"type": "function", "function": {…}}.' };
  for (const [i, tool] of value.entries()) {
    const fn = isRecord(tool) && tool.type === "function" && isRecord(tool.function) ? tool.function : null;
    if (!fn)
      return { error: `tools[${i}] must be ` + '{"type": "function", "function": {"name": …, "parameters": …}}.' };
    if (typeof fn.name !== "string" || !TOOL_NAME.test(fn.name))
      return { error: `tools[${i}].function.name must be 1 to 64 letters, digits, _ or -.` };
    if (fn.parameters !== undefined && !isRecord(fn.parameters))
      return { error: `tools[${i}].function.parameters must be a JSON Schema object.` };
  }
  return { tools: value as ToolDefinition[] };
}

/**
 * The request body the Playground sends to `POST /serving-endpoints/chat/completions` (`model` is the endpoint
 * name) and exports as code. Streams ask for the usage chunk so token counts are known when the stream ends.
 */
export function buildChatRequest(endpoint: string, settings: ChatSettings, history: ChatMessage[]): ChatRequest {
  const parsed = parseTools(settings.toolsJson);
  if ("error" in parsed) throw new Error(parsed.error);
  const system: ChatMessage[] = settings.systemPrompt.trim()
    ? [{ role: "system", content: settings.systemPrompt }]
    : [];
  const stop = settings.stop.filter((s) => s !== "");
  return {
    model: endpoint,
    messages: [...system, ...history],
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.maxTokens !== undefined ? { max_tokens: settings.maxTokens } : {}),
    ...(settings.topP !== undefined ? { top_p: settings.topP } : {}),
    ...(stop.length ? { stop } : {}),
    ...(parsed.tools.length ? { tools: parsed.tools } : {}),
    stream: settings.stream,
    ...(settings.stream ? { stream_options: { include_usage: true } } : {}),
  };
}

/**
 * Reads a request body back into settings and history (a payload log, a shared link): the system message
 * becomes the system prompt, the known sampling fields the settings. Fields the Playground has no control for
 * are dropped, and said so in `ignored`.
 */
export function settingsOfRequest(body: Record<string, unknown>): {
  settings: ChatSettings;
  history: ChatMessage[];
  ignored: string[];
} {
  const messages = Array.isArray(body.messages) ? (body.messages.filter(isMessage) as ChatMessage[]) : [];
  const systemAt = messages.findIndex((m) => m.role === "system");
  const system = systemAt >= 0 ? messages[systemAt] : undefined;
  const stop = typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? body.stop : [];
  const tools = Array.isArray(body.tools) && body.tools.length ? JSON.stringify(body.tools, null, 2) : "";
  const read = new Set(["model", "messages", "temperature", "max_tokens", "top_p", "stop", "tools", "stream"]);
  read.add("stream_options");
  return {
    settings: {
      systemPrompt: typeof system?.content === "string" ? system.content : "",
      ...numberField(body.temperature, "temperature"),
      ...numberField(body.max_tokens, "maxTokens"),
      ...numberField(body.top_p, "topP"),
      stop: stop.filter((s): s is string => typeof s === "string").slice(0, MAX_STOP_SEQUENCES),
      stream: body.stream !== false,
      toolsJson: tools,
    },
    history: messages.filter((_, i) => i !== systemAt),
    ignored: Object.keys(body).filter((key) => !read.has(key)),
  };
}

function numberField<K extends "temperature" | "maxTokens" | "topP">(value: unknown, key: K) {
  return typeof value === "number" && Number.isFinite(value) ? ({ [key]: value } as Record<K, number>) : {};
}

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);

function isMessage(value: unknown): boolean {
  return isRecord(value) && typeof value.role === "string" && ROLES.has(value.role);
}
