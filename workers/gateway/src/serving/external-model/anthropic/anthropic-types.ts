/**
 * The request side of Anthropic's Messages API wire format this provider speaks
 * (https://docs.anthropic.com/en/api/messages, anthropic-version 2023-06-01); answers are read with
 * the schemas of anthropic-response-schema.ts.
 */
export type AnthropicTextBlock = { type: "text"; text: string };
export type AnthropicImageBlock = {
  type: "image";
  source: { type: "base64"; media_type: string; data: string } | { type: "url"; url: string };
};
type AnthropicToolUseBlock = { type: "tool_use"; id: string; name: string; input: unknown };
export type AnthropicToolResultBlock = {
  type: "tool_result";
  tool_use_id: string;
  content: string | (AnthropicTextBlock | AnthropicImageBlock)[];
  is_error?: boolean;
};
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock;

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: string | AnthropicContentBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

export type AnthropicToolChoice =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export const ANTHROPIC_VERSION = "2023-06-01";
export const ANTHROPIC_PUBLIC_URL = "https://api.anthropic.com";
