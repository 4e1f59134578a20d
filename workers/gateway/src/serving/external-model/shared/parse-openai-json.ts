import type { z } from "zod";
import { type OpenAiChunk, openAiAnswer, openAiChunk, openAiEmbeddings } from "./openai-answer-schema";
import { parseProviderJson } from "./provider-json";

/**
 * OpenAI-format JSON from an upstream the gateway forwards (an answer, a stream event, an embeddings
 * answer), parsed and checked by parseProviderJson with the matching schema of openai-answer-schema.ts and a
 * hand-written check of the fields the gateway reads (parse-openai-json.test.ts checks that each check and
 * its schema agree). These run on every query, and on every chunk of a stream: the schemas alone cost a plain
 * query ~8 % of its CPU (bench/findings.json).
 */

/** One event of an OpenAI-format stream. */
export function parseOpenAiChunk(data: string, provider: string): OpenAiChunk {
  return parseProviderJson(openAiChunk, data, provider, "a stream event", isOpenAiChunk);
}

/** A whole chat or completions answer. */
export function parseOpenAiAnswer(text: string, provider: string): z.output<typeof openAiAnswer> {
  return parseProviderJson(openAiAnswer, text, provider, "a response", isOpenAiAnswer);
}

/** An embeddings answer. */
export function parseOpenAiEmbeddings(text: string, provider: string): z.output<typeof openAiEmbeddings> {
  return parseProviderJson(openAiEmbeddings, text, provider, "an embeddings response", isOpenAiEmbeddings);
}

/** What `openAiChunk.safeParse(value).success` says, without building its output. */
export function isOpenAiChunk(value: unknown): value is OpenAiChunk {
  if (!isObject(value)) return false;
  const { choices, usage } = value;
  if (choices !== undefined && choices !== null && !areChoices(choices)) return false;
  return isUsageOrAbsent(usage);
}

/** What `openAiAnswer.safeParse(value).success` says: a chunk's fields, with `choices` required. */
export function isOpenAiAnswer(value: unknown): value is z.output<typeof openAiAnswer> {
  return isObject(value) && areChoices(value.choices) && isUsageOrAbsent(value.usage);
}

/** What `openAiEmbeddings.safeParse(value).success` says. */
export function isOpenAiEmbeddings(value: unknown): value is z.output<typeof openAiEmbeddings> {
  if (!isObject(value) || !Array.isArray(value.data)) return false;
  for (const item of value.data) {
    if (!isObject(item)) return false;
    const { embedding } = item;
    if (typeof embedding === "string") continue;
    if (!Array.isArray(embedding)) return false;
    // zod's z.number() also refuses NaN and ±Infinity, which JSON.parse never yields: typeof is the same test.
    for (const x of embedding) if (typeof x !== "number") return false;
  }
  return isUsageOrAbsent(value.usage);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function areChoices(choices: unknown): boolean {
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) if (!isChoice(choice)) return false;
  return true;
}

function isChoice(choice: unknown): boolean {
  if (!isObject(choice)) return false;
  const { index, delta, message, finish_reason } = choice;
  return (
    (index === undefined || typeof index === "number") &&
    (delta === undefined || delta === null || isObject(delta)) &&
    (message === undefined || message === null || isObject(message)) &&
    (finish_reason === undefined || finish_reason === null || typeof finish_reason === "string")
  );
}

function isUsageOrAbsent(usage: unknown): boolean {
  if (usage === undefined || usage === null) return true;
  if (!isObject(usage)) return false;
  const { prompt_tokens, completion_tokens } = usage;
  return (
    (prompt_tokens === undefined || typeof prompt_tokens === "number") &&
    (completion_tokens === undefined || typeof completion_tokens === "number")
  );
}
