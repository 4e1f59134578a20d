/**
 * `edgeserve sql "<SQL>" | -f query.sql [options]`: the command's options, its output and exit codes
 * (0 done, 1 the SQL failed, 2 the command line is wrong).
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { TASK_FUNCTIONS, type TaskFunction } from "./call-spec";
import { DEFAULT_RETRY_POLICY } from "./batch/retry";
import { OUTPUT_FORMATS, type OutputFormat, createWriter } from "./output";
import type { DefaultEndpoints } from "./rewrite/rewrite";
import { DEFAULT_CACHE_SIZE, DEFAULT_CONCURRENCY, runSql } from "./run-sql";

export interface SqlCommandContext {
  host: string;
  token: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Defaults for the task functions' endpoints (EDGESERVE_SQL_CHAT_ENDPOINT, …); process.env when absent. */
  env?: Record<string, string | undefined>;
}

export const SQL_USAGE = `Usage: edgeserve sql "<SQL>" | -f query.sql [options]

Runs SQL on DuckDB with Databricks' AI functions (ai_query, ai_analyze_sentiment, ai_classify, ai_extract,
ai_fix_grammar, ai_gen, ai_mask, ai_similarity, ai_summarize, ai_translate) calling this workspace's endpoints.

Options:
  -f, --file PATH                    read the SQL from a file (several statements separated by ;)
  -o, --output table|csv|json        how rows are printed (default table)
      --concurrency N                calls in flight at once (default ${DEFAULT_CONCURRENCY})
      --default-chat-endpoint NAME   endpoint of the chat-based task functions (or EDGESERVE_SQL_CHAT_ENDPOINT)
      --default-embeddings-endpoint NAME
                                     endpoint of ai_similarity (or EDGESERVE_SQL_EMBEDDINGS_ENDPOINT)
      --endpoint FUNCTION=NAME       endpoint of one task function, e.g. --endpoint ai_translate=my-translator
      --max-retries N                retries of a call answered 429 or 5xx (default ${DEFAULT_RETRY_POLICY.maxRetries})
      --cache-size N                 distinct requests remembered for deduplication (default ${DEFAULT_CACHE_SIZE})
      --no-progress                  no progress line on stderr (the usage summary is still printed)
  -h, --help                         this text
See docs/sql.md.`;

class UsageError extends Error {}

function positiveInt(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be an integer >= ${min}.`);
  return Number(value);
}

function defaultsFrom(values: Record<string, unknown>, env: Record<string, string | undefined>): DefaultEndpoints {
  const byFunction: Partial<Record<TaskFunction, string>> = {};
  for (const pair of (values.endpoint as string[] | undefined) ?? []) {
    const m = /^([a-z_]+)=(.+)$/.exec(pair);
    if (!m || !(TASK_FUNCTIONS as readonly string[]).includes(m[1]!))
      throw new UsageError(`--endpoint takes FUNCTION=NAME with one of ${TASK_FUNCTIONS.join(", ")}; got '${pair}'.`);
    byFunction[m[1] as TaskFunction] = m[2]!;
  }
  const chat = (values["default-chat-endpoint"] as string | undefined) ?? env.EDGESERVE_SQL_CHAT_ENDPOINT;
  const embeddings =
    (values["default-embeddings-endpoint"] as string | undefined) ?? env.EDGESERVE_SQL_EMBEDDINGS_ENDPOINT;
  return { ...(chat ? { chat } : {}), ...(embeddings ? { embeddings } : {}), byFunction };
}

export async function sqlCommand(argv: string[], ctx: SqlCommandContext): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  let sql: string;
  try {
    parsed = parse(argv);
    if (parsed.values.help) {
      ctx.stdout.write(`${SQL_USAGE}\n`);
      return 0;
    }
    const file = parsed.values.file;
    if (file !== undefined && parsed.positionals.length > 0) throw new UsageError("Give the SQL or -f FILE, not both.");
    if (parsed.positionals.length > 1) throw new UsageError("Give the SQL as one argument (quote it).");
    sql = file !== undefined ? fs.readFileSync(file, "utf8") : (parsed.positionals[0] ?? "");
    if (sql.trim() === "") throw new UsageError("No SQL given.");
    if (!(OUTPUT_FORMATS as readonly string[]).includes(parsed.values.output))
      throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(", ")}.`);
  } catch (e) {
    ctx.stderr.write(`Error: ${e instanceof Error ? e.message : String(e)}\n\n${SQL_USAGE}\n`);
    return 2;
  }
  const { values } = parsed;
  try {
    const env = ctx.env ?? process.env;
    await runSql(
      sql,
      {
        host: ctx.host,
        token: ctx.token,
        concurrency: positiveInt(values.concurrency, "concurrency", DEFAULT_CONCURRENCY),
        defaults: defaultsFrom(values, env),
        retry: {
          ...DEFAULT_RETRY_POLICY,
          maxRetries: positiveInt(values["max-retries"], "max-retries", DEFAULT_RETRY_POLICY.maxRetries, 0),
        },
        cacheSize: positiveInt(values["cache-size"], "cache-size", DEFAULT_CACHE_SIZE),
        stderr: ctx.stderr,
        progress: !values["no-progress"],
      },
      async ({ columns, chunks }) => {
        const writer = createWriter(values.output as OutputFormat, columns, ctx.stdout);
        for await (const rows of chunks) writer.rows(rows);
        writer.end();
      },
    );
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ctx.stderr.write(`Error: ${message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: "string", short: "f" },
      output: { type: "string", short: "o", default: "table" },
      concurrency: { type: "string" },
      "default-chat-endpoint": { type: "string" },
      "default-embeddings-endpoint": { type: "string" },
      endpoint: { type: "string", multiple: true },
      "max-retries": { type: "string" },
      "cache-size": { type: "string" },
      "no-progress": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
