import type { UnifiedUsage } from "./unified";

/** Databricks' estimate when a provider reports no token counts: (characters + 1) / 4. */
export function estimateTokens(text: string): number {
  return Math.ceil((text.length + 1) / 4);
}

/** All text of a chat or completions request, for estimating its prompt tokens. */
export function promptText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === "string") parts.push(value);
    else if (Array.isArray(value))
      for (const v of value) add(typeof v === "object" && v && "text" in v ? (v as { text: unknown }).text : v);
  };
  if (Array.isArray(body.messages)) for (const m of body.messages as { content?: unknown }[]) add(m?.content);
  add(body.prompt);
  add(body.input);
  return parts.join("\n");
}

export function estimatedUsage(prompt: string, completion: string): UnifiedUsage {
  return {
    promptTokens: estimateTokens(prompt),
    completionTokens: completion ? estimateTokens(completion) : 0,
    estimated: true,
  };
}

export function openAiUsage(usage: UnifiedUsage | undefined, withCompletion = true) {
  if (!usage) return undefined;
  return withCompletion
    ? {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
      }
    : { prompt_tokens: usage.promptTokens, total_tokens: usage.promptTokens };
}
