import type { z } from "zod";
import { type OpenAiChunk, openAiAnswer, openAiChunk, openAiEmbeddings } from "./openai-answer-schema";
import { parseProviderJson, parseProviderValue } from "./provider-json";

/**
 * OpenAI-format JSON from an upstream the gateway forwards (an answer, a stream event, an embeddings
 * answer), parsed and checked: the same guarantee as parseProviderJson with the matching schema of
 * openai-answer-schema.ts (a changed field is a 502 naming the provider and the field), at a fraction of
 * its cost. A hand-written check of the fields the gateway reads passes the value as it was parsed,
 * without zod's copy of it; only a value it refuses goes to the schema, for its error message
 * (parse-openai-json.test.ts checks that each check and its schema agree). These run on every query, and
 * on every chunk of a stream: the schemas cost a plain query ~8 % of its CPU (bench/findings.json).
 */
function parseChecked<S extends z.ZodType>(
  schema: S,
  check: (value: unknown) => value is z.output<S>,
  text: string,
  provider: string,
  what: string,
): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The schema's error, "it is not JSON (…)", from the same code.
    return parseProviderJson(schema, text, provider, what);
  }
  if (check(value)) return value;
  // Refused: the schema says which field differs (and were a check ever stricter than it, its answer stands).
  return parseProviderValue(schema, value, provider, what);
}

/** One event of an OpenAI-format stream. */
export function parseOpenAiChunk(data: string, provider: string): OpenAiChunk {
  return parseChecked(openAiChunk, isOpenAiChunk, data, provider, "a stream event");
}

/** A whole chat or completions answer. */
export function parseOpenAiAnswer(text: string, provider: string): z.output<typeof openAiAnswer> {
  return parseChecked(openAiAnswer, isOpenAiAnswer, text, provider, "a response");
}

/** An embeddings answer. */
export function parseOpenAiEmbeddings(text: string, provider: string): z.output<typeof openAiEmbeddings> {
  return parseChecked(openAiEmbeddings, isOpenAiEmbeddings, text, provider, "an embeddings response");
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
