import type { UnifiedChatResponse, UnifiedEmbeddingsResponse, UnifiedToolCall, UnifiedUsage } from "../shared/unified";
import type { CohereChatResponse, CohereEmbedResponse, CohereUsage } from "./cohere-response-schema";
import { mapCohereFinishReason } from "./map-cohere-finish-reason";

/** Cohere's usage → ours: the tokens the model saw (`tokens`), else the billed ones; undefined when neither. */
export function cohereUsage(usage: CohereUsage | null | undefined): UnifiedUsage | undefined {
  const counts = usage?.tokens ?? usage?.billed_units;
  if (typeof counts?.input_tokens !== "number") return undefined;
  return { promptTokens: counts.input_tokens, completionTokens: counts.output_tokens ?? 0 };
}

/** Cohere gives `null` arguments for tools without parameters; OpenAI clients expect a JSON object. */
function normalizeArguments(args: string | null | undefined): string {
  return !args || args === "null" ? "{}" : args;
}

/**
 * A Cohere v2 chat response → unified. The text parts are joined (thinking parts are Cohere's own
 * and left out); with tool calls and no text, the tool plan is the message's content.
 */
export function cohereChatToUnified(r: CohereChatResponse, model: string, created: number): UnifiedChatResponse {
  const text = (r.message.content ?? [])
    .filter((p) => p.type === "text")
    .map((p) => p.text ?? "")
    .join("");
  const toolCalls: UnifiedToolCall[] = (r.message.tool_calls ?? []).map((t) => ({
    id: t.id,
    name: t.function.name,
    arguments: normalizeArguments(t.function.arguments),
  }));
  const content = text || (toolCalls.length ? r.message.tool_plan || null : "");
  const usage = cohereUsage(r.usage);
  return {
    id: r.id,
    model,
    created,
    choices: [
      {
        index: 0,
        content,
        ...(toolCalls.length ? { toolCalls } : {}),
        finishReason: mapCohereFinishReason(r.finish_reason),
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

/** Cohere embed responses (one per batch, in order) → unified; usage is the sum of the billed input tokens. */
export function cohereEmbedToUnified(
  responses: readonly CohereEmbedResponse[],
  model: string,
): UnifiedEmbeddingsResponse {
  const embeddings: number[][] = [];
  let tokens = 0;
  let counted = true;
  for (const r of responses) {
    embeddings.push(...r.embeddings.float);
    const billed = r.meta?.billed_units?.input_tokens;
    if (typeof billed === "number") tokens += billed;
    else counted = false;
  }
  return { model, embeddings, ...(counted ? { usage: { promptTokens: tokens, completionTokens: 0 } } : {}) };
}
