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

export interface Ai21Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface Ai21ChatResponse {
  id: string;
  model?: string;
  choices: { index: number; message: { role: "assistant"; content: string | null; tool_calls?: Ai21ToolCall[] | null }; logprobs?: unknown; finish_reason: string | null }[];
  usage: Ai21Usage;
}

export interface Ai21ChatChunk {
  id: string;
  model?: string;
  choices: {
    index: number;
    delta: { role?: "assistant"; content?: string | null; tool_calls?: { index?: number; id?: string; type?: "function"; function?: { name?: string; arguments?: string | Record<string, unknown> } }[] | null };
    logprobs?: unknown;
    finish_reason: string | null;
  }[];
  usage?: Ai21Usage | null;
}
