/**
 * The provider-neutral shapes every provider converts to. Providers are made of small pure
 * functions: request → provider request, provider response / stream event → these.
 */

/** OpenAI's finish reasons, and "other" for a provider reason with none of their meanings. */
export type UnifiedFinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "other";

/**
 * Why a choice ended, as vercel/ai keeps it: the unified value the wire carries (see wireFinishReason)
 * and the provider's own value (`end_turn`, `MAX_TOKENS`…), undefined when the provider gave none.
 */
export interface FinishReason {
  unified: UnifiedFinishReason;
  raw: string | undefined;
}

export interface UnifiedUsage {
  promptTokens: number;
  completionTokens: number;
  /** True when the provider gave no counts and they were estimated as (characters + 1) / 4. */
  estimated?: boolean;
}

export interface UnifiedToolCall {
  id: string;
  name: string;
  /** JSON text, as OpenAI carries it. */
  arguments: string;
}

export interface UnifiedChoice {
  index: number;
  content: string | null;
  toolCalls?: UnifiedToolCall[];
  /** null: the provider gave no reason. */
  finishReason: FinishReason | null;
}

export interface UnifiedChatResponse {
  id: string;
  model: string;
  created: number;
  choices: UnifiedChoice[];
  usage?: UnifiedUsage;
}

interface UnifiedToolCallDelta {
  index: number;
  id?: string;
  name?: string;
  arguments?: string;
}

/** One streamed step: a text or tool-call delta of a choice, its end, or the usage (often last). */
export interface UnifiedChunk {
  index?: number;
  role?: "assistant";
  content?: string;
  toolCalls?: UnifiedToolCallDelta[];
  finishReason?: FinishReason | null;
  usage?: UnifiedUsage;
}

export interface UnifiedCompletionResponse {
  id: string;
  model: string;
  created: number;
  choices: { index: number; text: string; finishReason: FinishReason | null }[];
  usage?: UnifiedUsage;
}

export interface UnifiedEmbeddingsResponse {
  model: string;
  embeddings: number[][];
  usage?: UnifiedUsage;
}
