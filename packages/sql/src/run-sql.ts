/**
 * Runs SQL text on an in-memory DuckDB with the AI functions available: rewrites the calls
 * (rewrite/rewrite.ts), registers the UDF and starts the bridge's worker only when the text uses them,
 * loads the system tables it names, then runs each statement in turn, streaming its rows to `onResult`.
 */
import crypto from "node:crypto";
import { DuckDBInstance, StatementType } from "@duckdb/node-api";
import { registerAiUdf } from "./ai-udf";
import { COUNTER, createCounters } from "./batch/counters";
import { ResultCache } from "./batch/result-cache";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./batch/retry";
import { Bridge } from "./bridge/bridge";
import { createGatewayClient } from "./gateway/gateway-client";
import { Progress } from "./progress";
import { boundCsvBuffers } from "./rewrite/csv-buffer";
import { type DefaultEndpoints, rewriteAiFunctions } from "./rewrite/rewrite";
import { SystemTables, renameSystemCatalog } from "./system-tables";

export interface RunOptions {
  host: string;
  token: string;
  /** Calls in flight at once. */
  concurrency?: number;
  defaults?: DefaultEndpoints;
  retry?: RetryPolicy;
  /** Distinct requests whose outcomes are remembered (identical requests are sent once). */
  cacheSize?: number;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  progress?: boolean;
}

export interface StatementResult {
  statementId: string;
  columns: string[];
  /** Row batches as JSON-safe values, in order. */
  chunks: AsyncIterable<unknown[][]>;
}

/** Statements whose result is rows to show (the rest report a count or nothing). */
const ROW_STATEMENTS = new Set<number>([StatementType.SELECT, StatementType.EXPLAIN, StatementType.PRAGMA]);

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_CACHE_SIZE = 10_000;

/** Runs every statement of `sql`; `onResult` consumes each row-returning statement's rows before the next runs. */
export async function runSql(
  sql: string,
  options: RunOptions,
  onResult: (result: StatementResult) => Promise<void>,
): Promise<void> {
  const rewritten = rewriteAiFunctions(renameSystemCatalog(sql), options.defaults);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  // The AI UDF runs on this thread, one vector at a time: more DuckDB threads cannot make it faster, while each
  // one's operators (CSV reader, Parquet writer) hold their own buffers. One thread and 2 MiB CSV buffers keep
  // the peak bounded (bench/SQL-MEMORY.md); statements without AI functions keep DuckDB's defaults.
  if (rewritten.aiCalls > 0) await connection.run("SET threads = 1");
  const sqlToRun = rewritten.aiCalls > 0 ? boundCsvBuffers(rewritten.sql) : rewritten.sql;
  const client = createGatewayClient(options);
  const counters = createCounters();
  let statementId = "";
  const progress = new Progress({ stderr: options.stderr, counters, enabled: options.progress ?? true });
  const bridge =
    rewritten.aiCalls > 0
      ? new Bridge({
          host: options.host,
          token: options.token,
          concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
          retry: options.retry ?? DEFAULT_RETRY_POLICY,
          counters,
        })
      : null;
  if (bridge)
    registerAiUdf(connection, {
      bridge,
      cache: new ResultCache(options.cacheSize ?? DEFAULT_CACHE_SIZE),
      counters,
      statementId: () => statementId,
      onTick: progress.tick,
    });
  const systemTables = new SystemTables(connection, client);
  try {
    await systemTables.loadReferenced(sql);
    const statements = await connection.extractStatements(sqlToRun);
    for (let i = 0; i < statements.count; i++) {
      statementId = crypto.randomUUID();
      counters.fill(0);
      const prepared = await statements.prepare(i);
      const result = await prepared.stream();
      const columns = result.columnNames();
      const rows = ROW_STATEMENTS.has(prepared.statementType);
      const chunks = result.yieldRowsJson();
      if (rows) await onResult({ statementId, columns, chunks });
      else for await (const _ of chunks); // runs the statement to its end (COPY, CREATE … AS, INSERT)
      if (bridge && counters[COUNTER.rows]! > 0) progress.summary(statementId);
    }
  } finally {
    systemTables.close();
    await bridge?.close();
    connection.closeSync();
    instance.closeSync();
  }
}
