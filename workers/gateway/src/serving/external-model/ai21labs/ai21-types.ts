/** AI21 Studio's chat completions wire format (Jamba: POST /studio/v1/chat/completions). */
export interface Ai21ToolCall {
  id: string;
  type: "function";
  /** `arguments` is a JSON string; the docs also show it as an object, which is accepted. */
  function: { name: string; arguments: string | Record<string, unknown> };
}

export type Ai21Message =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: Ai21ToolCall[] }
  | { role: "tool"; content: string; tool_call_id: string };

export interface Ai21Tool {
  type: "function";
  function: { name: string; description?: string; parameters?: unknown };
}
