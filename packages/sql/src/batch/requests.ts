/**
 * What each AI function sends to an endpoint and how it reads the answer. ai_query sends the request in
 * the endpoint's own format (chat, completions, embeddings, or a custom model's dataframe_records); the
 * task functions are instructions to a chat endpoint (ai_similarity: one embeddings call for both texts).
 */
import type { CallSpec, RowPayload } from "../call-spec";

/** One HTTP call a row needs, and how to turn its JSON answer into the row's value. */
export interface PlannedCall {
  endpoint: string;
  body: Record<string, unknown>;
  read(answer: unknown): unknown;
}

export class RowError extends Error {}

const SENTIMENTS = ["positive", "negative", "neutral", "mixed"];
/** Fields ai_query manages itself: modelParameters may not set them (as on Databricks). */
const RESERVED_PARAMETERS = new Set(["messages", "prompt", "input", "inputs", "dataframe_records", "stream"]);

/** The call a row needs, or null when its input is NULL (the result is NULL without a call). */
export function planCall(spec: CallSpec, row: RowPayload, endpointTask: string | undefined): PlannedCall | null {
  const endpoint = row.endpoint ?? spec.defaultEndpoint;
  if (!endpoint) throw new RowError(`${spec.fn}: the endpoint is NULL.`);
  if (spec.fn === "ai_query") {
    if (row.request === null || row.request === undefined) return null;
    return { endpoint, ...queryRequest(spec, row, endpointTask) };
  }
  if (row.text === null || row.text === undefined) return null;
  const text = String(row.text);
  switch (spec.fn) {
    case "ai_similarity":
      if (row.text2 === null || row.text2 === undefined) return null;
      return { endpoint, body: { input: [text, String(row.text2)] }, read: cosineOfPair };
    case "ai_gen":
      return chat(endpoint, null, text, chatText);
    case "ai_analyze_sentiment":
      return chat(
        endpoint,
        `Classify the sentiment of the text as one of: ${SENTIMENTS.join(", ")}. Answer with that one word only.`,
        text,
        (a) => oneOf(chatText(a), SENTIMENTS),
      );
    case "ai_classify": {
      const labels = labelList(row.labels, spec.fn);
      return chat(
        endpoint,
        `Classify the text into exactly one of these labels: ${JSON.stringify(labels)}. Answer with the label only.`,
        text,
        (a) => oneOf(chatText(a), labels),
      );
    }
    case "ai_extract": {
      const labels = spec.labels ?? [];
      return chat(
        endpoint,
        `Extract these entities from the text: ${JSON.stringify(labels)}. Answer with a JSON object whose keys are ` +
          "exactly these labels and whose values are the extracted strings (null when absent).",
        text,
        (a) => pickLabels(chatText(a), labels),
        { response_format: { type: "json_object" } },
      );
    }
    case "ai_fix_grammar":
      return chat(
        endpoint,
        "Correct the grammar and spelling of the text. Answer with the corrected text only.",
        text,
        chatText,
      );
    case "ai_mask": {
      const labels = labelList(row.labels, spec.fn);
      return chat(
        endpoint,
        "Mask these kinds of information in the text by replacing each occurrence with [MASKED]: " +
          `${JSON.stringify(labels)}. ` +
          "Answer with the masked text only.",
        text,
        chatText,
      );
    }
    case "ai_summarize": {
      const maxWords = row.maxWords ?? 50;
      if (!Number.isInteger(maxWords) || maxWords < 0) throw new RowError("ai_summarize: max_words must be >= 0.");
      const limit = maxWords === 0 ? "" : ` in at most ${maxWords} words`;
      return chat(endpoint, `Summarize the text${limit}. Answer with the summary only.`, text, chatText);
    }
    case "ai_translate":
      if (!row.language) throw new RowError("ai_translate: to_lang is NULL.");
      return chat(endpoint, `Translate the text to ${row.language}. Answer with the translation only.`, text, chatText);
  }
}

function chat(
  endpoint: string,
  system: string | null,
  user: string,
  read: (answer: unknown) => unknown,
  extra: Record<string, unknown> = {},
): PlannedCall {
  const messages = [...(system ? [{ role: "system", content: system }] : []), { role: "user", content: user }];
  return { endpoint, body: { messages, ...extra }, read };
}

function queryRequest(spec: CallSpec, row: RowPayload, task: string | undefined) {
  const parameters = row.modelParameters ?? {};
  for (const key of Object.keys(parameters))
    if (RESERVED_PARAMETERS.has(key)) throw new RowError(`ai_query: modelParameters may not set '${key}'.`);
  const format = spec.responseFormat ? { response_format: spec.responseFormat } : {};
  const request = row.request;
  switch (task) {
    case "llm/v1/chat":
      return {
        body: { messages: [{ role: "user", content: asText(request) }], ...parameters, ...format },
        read: chatText,
      };
    case "llm/v1/completions":
      return { body: { prompt: asText(request), ...parameters, ...format }, read: completionText };
    case "llm/v1/embeddings":
      return { body: { input: asText(request), ...parameters }, read: firstEmbedding };
    default:
      // A custom model: a struct is one dataframe record; a plain value one input.
      return {
        body: {
          ...(typeof request === "object" ? { dataframe_records: [request] } : { inputs: [request] }),
          ...parameters,
        },
        read: firstPrediction,
      };
  }
}

function asText(request: unknown): string {
  return typeof request === "string" ? request : JSON.stringify(request);
}

function labelList(labels: unknown, fn: string): string[] {
  if (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => typeof l !== "string"))
    throw new RowError(`${fn}: labels must be a non-empty list of strings.`);
  return labels as string[];
}

function chatText(answer: unknown): string {
  const content = (answer as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === "string" ? p.text : "")).join("");
  throw new RowError("The endpoint's answer has no choices[0].message.content.");
}

function completionText(answer: unknown): string {
  const text = (answer as { choices?: { text?: unknown }[] })?.choices?.[0]?.text;
  if (typeof text !== "string") throw new RowError("The endpoint's answer has no choices[0].text.");
  return text;
}

function firstEmbedding(answer: unknown): number[] {
  const embedding = (answer as { data?: { embedding?: unknown }[] })?.data?.[0]?.embedding;
  if (!Array.isArray(embedding)) throw new RowError("The endpoint's answer has no data[0].embedding.");
  return embedding as number[];
}

function firstPrediction(answer: unknown): unknown {
  const a = answer as { predictions?: unknown[]; outputs?: unknown[] };
  const value = a?.predictions?.[0] ?? a?.outputs?.[0];
  if (value === undefined) throw new RowError("The endpoint's answer has no predictions[0].");
  return value;
}

/** The model's answer if it is one of `choices` (case and surrounding punctuation ignored), else NULL. */
function oneOf(text: string, choices: string[]): string | null {
  const cleaned = text
    .trim()
    .replace(/^["'`]+|["'`.!]+$/g, "")
    .toLowerCase();
  return choices.find((c) => c.toLowerCase() === cleaned) ?? null;
}

function pickLabels(text: string, labels: string[]): Record<string, string | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim().replace(/^```(json)?\s*|\s*```$/g, ""));
  } catch {
    throw new RowError(`ai_extract: the model's answer is not a JSON object: ${text.slice(0, 100)}`);
  }
  const object = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  return Object.fromEntries(
    labels.map((l) => {
      const v = object[l];
      return [l, v === null || v === undefined ? null : typeof v === "string" ? v : JSON.stringify(v)];
    }),
  );
}

function cosineOfPair(answer: unknown): number {
  const data = (answer as { data?: { index?: number; embedding?: unknown }[] })?.data;
  if (!Array.isArray(data) || data.length !== 2) throw new RowError("The embeddings answer does not hold two vectors.");
  const [a, b] = [...data].sort((x, y) => (x.index ?? 0) - (y.index ?? 0)).map((d) => d.embedding as number[]);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length)
    throw new RowError("The embeddings answer holds vectors of different lengths.");
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Tokens an answer reports (chat, completions and embeddings all use OpenAI's `usage`). */
export function tokensOf(answer: unknown): { input: number; output: number } {
  const u = (answer as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } })?.usage;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return { input: n(u?.prompt_tokens), output: n(u?.completion_tokens) };
}
