/** OpenAI chat answers → Anthropic Messages answers (the response half of the Anthropic-format route). */

export interface AnthropicUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface AnthropicMessageOut {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ({ type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown })[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: AnthropicUsageOut;
}

/** OpenAI `finish_reason` → Anthropic `stop_reason`. */
export function toAnthropicStopReason(finishReason: unknown): string {
  switch (finishReason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/** Anthropic ids start with `msg_`; the upstream's id is kept after it. */
export function toAnthropicMessageId(id: unknown): string {
  if (typeof id !== "string" || id === "") return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  return id.startsWith("msg_") ? id : `msg_${id}`;
}

/** A tool call's JSON arguments as Anthropic's `input` object (unparseable text is kept under `_raw`). */
function toolInput(args: unknown): unknown {
  if (typeof args !== "string" || args.trim() === "") return {};
  try {
    const parsed = JSON.parse(args) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : { _raw: args };
  } catch {
    return { _raw: args };
  }
}

export function toAnthropicUsage(
  usage: { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined,
): AnthropicUsageOut {
  return {
    input_tokens: typeof usage?.prompt_tokens === "number" ? usage.prompt_tokens : 0,
    output_tokens: typeof usage?.completion_tokens === "number" ? usage.completion_tokens : 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

interface OpenAiChatCompletion {
  id?: string;
  choices?: {
    message?: { content?: unknown; tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[] };
    finish_reason?: unknown;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** An OpenAI `chat.completion` → an Anthropic `message` (first choice; the route never asks for more). */
export function openAiResponseToAnthropic(json: OpenAiChatCompletion, model: string): AnthropicMessageOut {
  const choice = json.choices?.[0];
  const content: AnthropicMessageOut["content"] = [];
  const text = choice?.message?.content;
  if (typeof text === "string" && text !== "") content.push({ type: "text", text });
  else if (Array.isArray(text)) {
    const joined = text.map((p: { text?: unknown }) => (typeof p?.text === "string" ? p.text : "")).join("");
    if (joined) content.push({ type: "text", text: joined });
  }
  for (const call of choice?.message?.tool_calls ?? [])
    content.push({
      type: "tool_use",
      id: call.id ?? `toolu_${crypto.randomUUID().replaceAll("-", "")}`,
      name: call.function?.name ?? "",
      input: toolInput(call.function?.arguments),
    });
  return {
    id: toAnthropicMessageId(json.id),
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: toAnthropicStopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(json.usage),
  };
}
