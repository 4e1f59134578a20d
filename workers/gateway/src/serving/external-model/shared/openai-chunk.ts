import { type OpenAiChunk, openAiChunk } from "./openai-answer-schema";
import { parseProviderJson, parseProviderValue } from "./provider-json";

/**
 * One event of an OpenAI-format stream, parsed and checked: the same guarantee as parseProviderJson with
 * the `openAiChunk` schema (a changed field is a 502 naming the provider and the field), at a fraction of
 * its cost per chunk. A hand-written check of the fields the forwarder reads passes a chunk as it was
 * parsed, without zod's copy of it; only a chunk it refuses goes to the schema, for its error message
 * (openai-chunk.test.ts checks that the two agree).
 */
export function parseOpenAiChunk(data: string, provider: string): OpenAiChunk {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    // The schema's error, "it is not JSON (…)", from the same code.
    return parseProviderJson(openAiChunk, data, provider, "a stream event");
  }
  if (isOpenAiChunk(value)) return value;
  // Refused: the schema says which field differs (and were the guard ever stricter than it, its answer stands).
  return parseProviderValue(openAiChunk, value, provider, "a stream event");
}

/** What `openAiChunk.safeParse(value).success` says, without building its output. */
export function isOpenAiChunk(value: unknown): value is OpenAiChunk {
  if (!isObject(value)) return false;
  const { choices, usage } = value;
  if (choices !== undefined && choices !== null) {
    if (!Array.isArray(choices)) return false;
    for (const choice of choices) if (!isChoice(choice)) return false;
  }
  return usage === undefined || usage === null || isUsage(usage);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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

function isUsage(usage: unknown): boolean {
  if (!isObject(usage)) return false;
  const { prompt_tokens, completion_tokens } = usage;
  return (
    (prompt_tokens === undefined || typeof prompt_tokens === "number") &&
    (completion_tokens === undefined || typeof completion_tokens === "number")
  );
}
