import { z } from "zod";
import type { UnifiedUsage } from "./unified";

/**
 * What the gateway reads of an OpenAI-format answer, stream chunk or embeddings answer from an
 * upstream it forwards (OpenAI, Azure, Databricks, any compatible server): usage, each choice's text,
 * tool calls and finish reason, the vectors. Lenient: everything else passes through unread.
 */
export const openAiUsageBody = z.looseObject({
  prompt_tokens: z.number().optional(),
  completion_tokens: z.number().optional(),
});
const produced = z.looseObject({ content: z.unknown().optional(), tool_calls: z.unknown().optional() });
const openAiChoice = z.looseObject({
  index: z.number().optional(),
  message: produced.nullish(),
  delta: produced.nullish(),
  text: z.unknown().optional(),
  finish_reason: z.string().nullish(),
});
export const openAiAnswer = z.looseObject({ choices: z.array(openAiChoice), usage: openAiUsageBody.nullish() });
export const openAiChunk = z.looseObject({
  id: z.unknown().optional(),
  object: z.unknown().optional(),
  created: z.unknown().optional(),
  model: z.unknown().optional(),
  choices: z.array(openAiChoice).nullish(),
  usage: openAiUsageBody.nullish(),
  /** How OpenAI reports a failure mid-stream. */
  error: z.unknown().optional(),
});
export type OpenAiChunk = z.infer<typeof openAiChunk>;
export const openAiEmbeddings = z.looseObject({
  data: z.array(z.looseObject({ embedding: z.union([z.array(z.number()), z.string()]) })),
  usage: openAiUsageBody.nullish(),
});

export function fromOpenAiUsage(usage: z.infer<typeof openAiUsageBody> | null | undefined): UnifiedUsage | null {
  if (!usage || typeof usage.prompt_tokens !== "number") return null;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? 0 };
}

/** Text an OpenAI-format answer produced (choices' message/text/delta), for estimating completion tokens. */
export function openAiOutputText(json: {
  choices?:
    | {
        message?: { content?: unknown; tool_calls?: unknown } | null;
        text?: unknown;
        delta?: { content?: unknown; tool_calls?: unknown } | null;
      }[]
    | null;
}): string {
  let out = "";
  for (const c of json.choices ?? []) {
    const content = c.message?.content ?? c.text ?? c.delta?.content;
    if (typeof content === "string") out += content;
    const tools = c.message?.tool_calls ?? c.delta?.tool_calls;
    if (tools) out += JSON.stringify(tools);
  }
  return out;
}
