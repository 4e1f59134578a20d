import type {
  FinishReason,
  UnifiedChatResponse,
  UnifiedChoice,
  UnifiedCompletionResponse,
  UnifiedToolCall,
  UnifiedUsage,
} from "../shared/unified";
import type { GeminiCandidate, GeminiResponse, GeminiUsageMetadata } from "./gemini-response-schema";
import { finishReason } from "../shared/finish-reason";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason";

export interface ResponseMeta {
  /** Our response id (`chatcmpl-…`); synthesized tool-call ids are derived from it. */
  id: string;
  /** The configured model, used when Gemini does not say which version answered. */
  model: string;
  created: number;
}

/**
 * Gemini function calls have no ids: each gets `call_<response id>_<candidate>_<n>`, stable for a
 * given answer and the same whether streamed or not. Tool results are mapped back by name.
 */
export function toolCallId(responseId: string, candidate: number, n: number): string {
  return `call_${responseId.replace(/^chatcmpl-/, "")}_${candidate}_${n}`;
}

/** Output tokens include the model's thinking tokens, as OpenAI counts reasoning tokens. */
export function geminiUsage(usage: GeminiUsageMetadata | undefined): UnifiedUsage | undefined {
  if (!usage || usage.promptTokenCount === undefined) return undefined;
  return {
    promptTokens: usage.promptTokenCount,
    completionTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
  };
}

/** The visible text and function calls of a candidate's parts (thought summaries are left out). */
export function candidateParts(candidate: GeminiCandidate): { text: string; calls: { name: string; args: unknown }[] } {
  let text = "";
  const calls: { name: string; args: unknown }[] = [];
  for (const part of candidate.content?.parts ?? []) {
    if (typeof part.text === "string" && part.thought !== true) text += part.text;
    if (part.functionCall) calls.push({ name: part.functionCall.name, args: part.functionCall.args ?? {} });
  }
  return { text, calls };
}

function toChoice(candidate: GeminiCandidate, position: number, id: string): UnifiedChoice {
  const index = candidate.index ?? position;
  const { text, calls } = candidateParts(candidate);
  const toolCalls: UnifiedToolCall[] = calls.map((c, n) => ({
    id: toolCallId(id, index, n),
    name: c.name,
    arguments: JSON.stringify(c.args),
  }));
  const blocked = !candidate.content?.parts?.length;
  return {
    index,
    content: text || (toolCalls.length || blocked ? null : ""),
    ...(toolCalls.length ? { toolCalls } : {}),
    finishReason: mapGeminiFinishReason(candidate.finishReason ?? "STOP", toolCalls.length > 0),
  };
}

/** No candidates: the prompt was blocked (`blockReason` is the raw reason), or nothing was generated. */
function blockedPrompt(blockReason: string | undefined) {
  return blockReason ? finishReason("content_filter", blockReason) : finishReason("stop");
}

/** A `generateContent` answer → unified chat response. A blocked prompt (no candidates) is one filtered choice. */
export function geminiResponseToUnified(response: GeminiResponse, meta: ResponseMeta): UnifiedChatResponse {
  const candidates = response.candidates ?? [];
  const choices = candidates.length
    ? candidates.map((c, i) => toChoice(c, i, meta.id))
    : [{ index: 0, content: null, finishReason: blockedPrompt(response.promptFeedback?.blockReason) }];
  const usage = geminiUsage(response.usageMetadata);
  return {
    id: meta.id,
    model: response.modelVersion ?? meta.model,
    created: meta.created,
    choices: choices.sort((a, b) => a.index - b.index),
    ...(usage ? { usage } : {}),
  };
}

/** A completion calls no tools: a choice that ended calling them ended as a stop. */
function completionFinish(reason: FinishReason | null): FinishReason | null {
  return reason?.unified === "tool_calls" ? { ...reason, unified: "stop" } : reason;
}

/** The same answer for llm/v1/completions (Gemini has no completions API; the chat answer's text is the completion). */
export function geminiResponseToCompletion(response: GeminiResponse, meta: ResponseMeta): UnifiedCompletionResponse {
  const chat = geminiResponseToUnified(response, meta);
  return {
    id: meta.id.replace(/^chatcmpl-/, "cmpl-"),
    model: chat.model,
    created: chat.created,
    choices: chat.choices.map((c) => ({
      index: c.index,
      text: c.content ?? "",
      finishReason: completionFinish(c.finishReason),
    })),
    ...(chat.usage ? { usage: chat.usage } : {}),
  };
}
