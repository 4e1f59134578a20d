/**
 * What one AI function call site asks for, fixed when the SQL is rewritten (a JSON string literal in
 * the rewritten statement), and what each row adds to it (`RowPayload`, built by DuckDB's `to_json`).
 * Shared by the rewriter (which writes them), the UDF (which reads them) and the worker (which calls).
 */

export const TASK_FUNCTIONS = [
  "ai_analyze_sentiment",
  "ai_classify",
  "ai_extract",
  "ai_fix_grammar",
  "ai_gen",
  "ai_mask",
  "ai_similarity",
  "ai_summarize",
  "ai_translate",
] as const;
export type TaskFunction = (typeof TASK_FUNCTIONS)[number];
export type AiFunction = "ai_query" | TaskFunction;

/** How the UDF renders a row's outcome for the SQL around it (see rewrite/rewrite.ts). */
type ResultMode =
  /** The model's text as VARCHAR; an error fails the statement. */
  | "text"
  /** The result as JSON text, cast by the SQL around it; an error fails the statement. */
  | "json"
  /** `{"result": <json>, "errorMessage": <string|null>}`: errors per row (failOnError => false). */
  | "safe";

export interface CallSpec {
  fn: AiFunction;
  mode: ResultMode;
  /** False when the result is parsed from the model's text as JSON (a returnType other than STRING). */
  resultIsText: boolean;
  /** The endpoint when the row names none (task functions' configured default). */
  defaultEndpoint?: string;
  /** ai_query's responseFormat as OpenAI's `response_format` object. */
  responseFormat?: Record<string, unknown>;
  /** ai_extract's labels (the fields of its STRUCT result). */
  labels?: string[];
}

/** The per-row values: `request` for ai_query, `text` (and `text2`, `labels`, …) for task functions. */
export interface RowPayload {
  endpoint?: string | null;
  request?: unknown;
  modelParameters?: Record<string, unknown> | null;
  text?: string | null;
  text2?: string | null;
  labels?: string[] | null;
  maxWords?: number | null;
  language?: string | null;
}

/** A row's outcome, before the UDF renders it by the spec's mode. */
export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: string };
