/**
 * The scalar UDFs rewritten AI function calls become: `__edgeserve_ai(spec, payload) → VARCHAR`, and for the
 * first AI call of a SELECT list with others, `__edgeserve_ai_group(…)`, which also sends the others' calls.
 * Per vector chunk (up to 2048 rows) a call answers repeated requests from the cache, sends the distinct rest
 * through the bridge in one batch, and renders each row by the call's mode (call-spec.ts).
 */
import {
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBScalarFunction,
  type DuckDBScalarFunctionInfo,
  type DuckDBVector,
  VARCHAR,
} from "@duckdb/node-api";
import { addTo } from "./batch/counters";
import type { BatchItem } from "./batch/call-runner";
import { ResultCache } from "./batch/result-cache";
import type { Bridge } from "./bridge/bridge";
import type { CallOutcome, CallSpec } from "./call-spec";
import { GROUP_UDF_NAME, UDF_NAME } from "./rewrite/rewrite";

export interface UdfContext {
  bridge: Bridge;
  cache: ResultCache;
  counters: Int32Array;
  /** The statement running now (usage_context.statement_id of its calls). */
  statementId: () => string;
  onTick: () => void;
}

/** Outcomes a SELECT list's leader fetched for its siblings, kept until their own calls read them. */
const PREFETCHED_CAPACITY = 16_384;

export function registerAiUdf(connection: DuckDBConnection, context: UdfContext): void {
  const prefetched = new ResultCache(PREFETCHED_CAPACITY);
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: UDF_NAME,
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, VARCHAR],
      // NULL payloads reach the function (a NULL input is a NULL result, decided here, not by DuckDB).
      specialHandling: true,
      // Not volatile: DuckDB may fold identical constant calls, which is what dedupe wants anyway.
      mainFunction: (info, chunk, output) => answerChunk(context, prefetched, info, chunk, output, false),
    }),
  );
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: GROUP_UDF_NAME,
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, VARCHAR, VARCHAR, VARCHAR],
      specialHandling: true,
      mainFunction: (info, chunk, output) => answerChunk(context, prefetched, info, chunk, output, true),
    }),
  );
}

/**
 * One vector chunk of a call site: its rows' outcomes from the cache, from what a leader fetched for it, or
 * sent through the bridge (with, for a leader, the siblings' calls of the same rows in the same batch).
 */
function answerChunk(
  context: UdfContext,
  prefetched: ResultCache,
  info: DuckDBScalarFunctionInfo,
  chunk: DuckDBDataChunk,
  output: DuckDBVector,
  leader: boolean,
): void {
  const specs = chunk.getColumnValues(0) as (string | null)[];
  const payloads = chunk.getColumnValues(1) as (string | null)[];
  const keys = specs.map((spec, i) => (spec === null || payloads[i] === null ? null : `${spec}\u0000${payloads[i]}`));
  const outcomes = new Map<string, CallOutcome>();
  const misses = new Map<string, BatchItem>();
  let fromLeader = 0;
  keys.forEach((key, i) => {
    if (key === null || outcomes.has(key) || misses.has(key)) return;
    // What a leader fetched moves to the cache: the next chunks' repeats are plain cache hits.
    const ready = prefetched.take(key);
    if (ready) {
      fromLeader++;
      context.cache.set(key, ready);
    }
    const known = ready ?? context.cache.get(key);
    if (known) outcomes.set(key, known);
    else misses.set(key, { key, spec: specs[i]!, payload: payloads[i]! });
  });
  addTo(context.counters, "rows", chunk.rowCount);
  // Requests sent for this call site: its own misses, and those its leader sent for it.
  addTo(context.counters, "deduplicated", chunk.rowCount - misses.size - fromLeader);
  const siblingKeys = leader ? siblingMisses(context, prefetched, chunk, misses) : new Set<string>();
  if (misses.size > 0) {
    const fresh = context.bridge.callSync([...misses.values()], context.statementId(), context.onTick);
    for (const [key, outcome] of fresh) {
      if (siblingKeys.has(key)) prefetched.set(key, outcome);
      else {
        context.cache.set(key, outcome);
        outcomes.set(key, outcome);
      }
    }
  }
  const specCache = new Map<string, CallSpec>();
  for (let row = 0; row < chunk.rowCount; row++) {
    const key = keys[row];
    if (key === null || key === undefined) {
      output.setItem(row, null);
      continue;
    }
    const specText = specs[row]!;
    let spec = specCache.get(specText);
    if (!spec) {
      spec = JSON.parse(specText) as CallSpec;
      specCache.set(specText, spec);
    }
    const rendered = render(spec, outcomes.get(key)!);
    if (rendered.error !== undefined) {
      info.setError(`${spec.fn} failed on a row: ${rendered.error} (add failOnError => false for per-row errors)`);
      return;
    }
    output.setItem(row, rendered.value);
  }
  output.flush();
}

/**
 * A leader's siblings' requests for the same rows that are neither cached nor already fetched, added to
 * `misses` (one batch: the columns' calls run concurrently within the bridge's bound); returns their keys.
 */
function siblingMisses(
  context: UdfContext,
  prefetched: ResultCache,
  chunk: DuckDBDataChunk,
  misses: Map<string, BatchItem>,
): Set<string> {
  const keys = new Set<string>();
  const specsText = (chunk.getColumnValues(2) as (string | null)[]).find((s) => s !== null);
  if (!specsText) return keys;
  const siblingSpecs = JSON.parse(specsText) as string[];
  for (const rowPayloads of chunk.getColumnValues(3) as (string | null)[]) {
    if (rowPayloads === null) continue;
    (JSON.parse(rowPayloads) as (string | null)[]).forEach((payload, j) => {
      if (payload === null) return;
      const spec = siblingSpecs[j]!;
      const key = `${spec}\u0000${payload}`;
      if (keys.has(key) || misses.has(key) || prefetched.has(key) || context.cache.has(key)) return;
      keys.add(key);
      misses.set(key, { key, spec, payload });
    });
  }
  return keys;
}

/** A row's VARCHAR by the spec's mode, or the error that fails the statement. */
function render(spec: CallSpec, outcome: CallOutcome): { value: string | null; error?: string } {
  if (spec.mode === "safe") {
    const result = outcome.ok ? resultValue(spec, outcome.value) : null;
    return { value: JSON.stringify({ result, errorMessage: outcome.ok ? null : outcome.error }) };
  }
  if (!outcome.ok) return { value: null, error: outcome.error };
  if (outcome.value === null || outcome.value === undefined) return { value: null };
  if (spec.mode === "text")
    return { value: typeof outcome.value === "string" ? outcome.value : JSON.stringify(outcome.value) };
  return { value: JSON.stringify(resultValue(spec, outcome.value)) };
}

/** For a non-text return type, the model's text is parsed as JSON when it is JSON (``` fences allowed). */
function resultValue(spec: CallSpec, value: unknown): unknown {
  if (spec.resultIsText) return typeof value === "string" || value === null ? value : JSON.stringify(value);
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value.trim().replace(/^```(json)?\s*|\s*```$/g, ""));
  } catch {
    return value;
  }
}
