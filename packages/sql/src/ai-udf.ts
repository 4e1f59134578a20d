/**
 * The one scalar UDF every rewritten AI function call becomes: `__edgeserve_ai(spec, payload) → VARCHAR`.
 * Per vector chunk (up to 2048 rows) it answers repeated requests from the cache, sends the distinct rest
 * through the bridge in one batch, and renders each row by the call's mode (call-spec.ts).
 */
import { type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from "@duckdb/node-api";
import { addTo } from "./batch/counters";
import type { BatchItem } from "./batch/call-runner";
import type { ResultCache } from "./batch/result-cache";
import type { Bridge } from "./bridge/bridge";
import type { CallOutcome, CallSpec } from "./call-spec";
import { UDF_NAME } from "./rewrite/rewrite";

export interface UdfContext {
  bridge: Bridge;
  cache: ResultCache;
  counters: Int32Array;
  /** The statement running now (usage_context.statement_id of its calls). */
  statementId: () => string;
  onTick: () => void;
}

export function registerAiUdf(connection: DuckDBConnection, context: UdfContext): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: UDF_NAME,
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, VARCHAR],
      // NULL payloads reach the function (a NULL input is a NULL result, decided here, not by DuckDB).
      specialHandling: true,
      // Not volatile: DuckDB may fold identical constant calls, which is what dedupe wants anyway.
      mainFunction: (info, chunk, output) => {
        const specs = chunk.getColumnValues(0) as (string | null)[];
        const payloads = chunk.getColumnValues(1) as (string | null)[];
        const keys = specs.map((spec, i) =>
          spec === null || payloads[i] === null ? null : `${spec}\u0000${payloads[i]}`,
        );
        const outcomes = new Map<string, CallOutcome>();
        const misses = new Map<string, BatchItem>();
        keys.forEach((key, i) => {
          if (key === null || outcomes.has(key) || misses.has(key)) return;
          const cached = context.cache.get(key);
          if (cached) outcomes.set(key, cached);
          else misses.set(key, { key, spec: specs[i]!, payload: payloads[i]! });
        });
        addTo(context.counters, "rows", chunk.rowCount);
        addTo(context.counters, "deduplicated", chunk.rowCount - misses.size);
        if (misses.size > 0) {
          const fresh = context.bridge.callSync([...misses.values()], context.statementId(), context.onTick);
          for (const [key, outcome] of fresh) {
            context.cache.set(key, outcome);
            outcomes.set(key, outcome);
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
            info.setError(
              `${spec.fn} failed on a row: ${rendered.error} (add failOnError => false for per-row errors)`,
            );
            return;
          }
          output.setItem(row, rendered.value);
        }
        output.flush();
      },
    }),
  );
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
