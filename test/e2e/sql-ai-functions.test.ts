/**
 * `edgeserve sql` against the running stack: ai_query and every task function over a 10,000-row CSV,
 * through the gateway to an instruction-following mock upstream that injects 429s and refuses some
 * prompts. Checks bounded concurrency, one call per distinct request, retries, per-row errors, and the
 * statement id on what the gateway recorded (usage records, usage API, the system tables).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InstructionFollowingUpstream,
  startInstructionFollowingUpstream,
} from "../mocks/instruction-following-upstream";
import { api, ok, uniqueName } from "./helpers";
import {
  DISTINCT_REVIEWS,
  createUpstreamEndpoint,
  randomToken,
  reviewOf,
  runSqlCli,
  statementIdOf,
  summaryCount,
  writeReviewsCsv,
} from "./sql-helpers";

const ROWS = 10_000;
const CONCURRENCY = 6;
/** Each test spawns the CLI (DuckDB, tsx, a worker) once or twice: generous on a loaded 2-core machine. */
const TEST_TIMEOUT_MS = 150_000;

describe("edgeserve sql: AI functions over 10,000 rows", () => {
  const token = randomToken();
  const dir = writeReviewsCsv(fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-sql-e2e-")), ROWS);
  let upstream: InstructionFollowingUpstream;
  let chat: { name: string; model: string };
  let steadyChat: { name: string; model: string };
  let embeddings: { name: string; model: string };
  const startedAt = Date.now();
  /** The first test's statement: the system tables' test finds its calls by it. */
  let firstStatementId = "";

  beforeAll(async () => {
    upstream = await startInstructionFollowingUpstream({ token, delayMs: 10 });
    [chat, steadyChat, embeddings] = await Promise.all([
      // Every 7th chat request the upstream receives is answered 429.
      createUpstreamEndpoint(upstream.url, token, "llm/v1/chat", { model: `${uniqueName("chat")}-429every7` }),
      // Without 429s (the retries are the first test's): the task functions' test stays short.
      createUpstreamEndpoint(upstream.url, token, "llm/v1/chat"),
      createUpstreamEndpoint(upstream.url, token, "llm/v1/embeddings"),
    ]);
  });
  afterAll(async () => {
    await upstream?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    "ai_query: bounded concurrency, each distinct request sent once, 429s retried, usage tagged with the statement",
    async () => {
      const run = await runSqlCli(
        [
          "--concurrency",
          String(CONCURRENCY),
          "--output",
          "json",
          `SELECT id, ai_query('${chat.name}', review) AS answer FROM read_csv('reviews.csv') ORDER BY id`,
        ],
        dir,
      );
      expect(run.code, run.stderr).toBe(0);
      const rows = JSON.parse(run.stdout) as { id: number; answer: string }[];
      expect(rows).toHaveLength(ROWS);
      for (const row of rows) expect(row.answer).toBe(`Echo: ${reviewOf(row.id).review}`);

      // One answered call per distinct review; the injected 429s were retried, never more than 4 at once.
      const answered = upstream.prompts.get(chat.model) ?? [];
      expect(new Set(answered).size).toBe(DISTINCT_REVIEWS);
      expect(answered).toHaveLength(DISTINCT_REVIEWS);
      const injected = upstream.requests.get(chat.model)! - DISTINCT_REVIEWS;
      expect(injected).toBeGreaterThan(0);
      expect(summaryCount(run.stderr, "retries")).toBe(injected);
      expect(summaryCount(run.stderr, "errors")).toBe(0);
      expect(summaryCount(run.stderr, "deduplicated")).toBe(ROWS - DISTINCT_REVIEWS);
      expect(upstream.maxInFlight.get(chat.model)).toBeLessThanOrEqual(CONCURRENCY);
      expect(upstream.maxInFlight.get(chat.model)).toBeGreaterThan(1);

      // Every call the gateway recorded for the statement (the 429s included, as errors) is one usage record
      // carrying usage_context {source: "ai_query", statement_id}, read through GET …/usage/records.
      firstStatementId = statementIdOf(run.stderr);
      const records = await usageRecords(chat.name, DISTINCT_REVIEWS + injected);
      expect(records).toHaveLength(DISTINCT_REVIEWS + injected);
      for (const record of records)
        expect(record.usage_context).toEqual({ source: "ai_query", statement_id: firstStatementId });
      expect(records.filter((r) => r.status_code === 200)).toHaveLength(DISTINCT_REVIEWS);
      expect(records.filter((r) => r.status_code === 429)).toHaveLength(injected);
      // The usage API's totals agree.
      const usage = await waitForUsage(chat.name, DISTINCT_REVIEWS + injected);
      expect(usage.request_count).toBe(DISTINCT_REVIEWS + injected);
      expect(usage.error_count).toBe(injected);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "the same data through the system tables: endpoint_usage, served_entities, payload_logs",
    async () => {
      const run = await runSqlCli(
        [
          "--output",
          "json",
          `SELECT
           (SELECT count(*) FROM system.serving.endpoint_usage WHERE endpoint_name = '${chat.name}') AS requests,
           (SELECT count(*) FROM system.serving.endpoint_usage WHERE endpoint_name = '${chat.name}'
              AND usage_context['statement_id'] = '${firstStatementId}' AND status_code = 200) AS statement_calls,
           (SELECT any_value(provider || ' ' || task) FROM system.serving.served_entities
              WHERE endpoint_name = '${embeddings.name}') AS entity,
           (SELECT count(DISTINCT json_extract_string(request, '$.usage_context.statement_id'))
              FROM payload_logs."${chat.name}" WHERE status_code = 200) AS statements`,
        ],
        dir,
      );
      expect(run.code, run.stderr).toBe(0);
      const [row] = JSON.parse(run.stdout);
      const usage = await ok(api("GET", `/api/2.0/serving-endpoints/${chat.name}/usage?group_by=day`));
      // One row per request: as many as the usage API counts, the first statement's answered ones among them.
      expect(Number(row.requests)).toBe(
        usage.usage.reduce((s: number, u: { request_count: number }) => s + u.request_count, 0),
      );
      expect(Number(row.statement_calls)).toBe(DISTINCT_REVIEWS);
      expect(row.entity).toBe("custom llm/v1/embeddings");
      expect(Number(row.statements)).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "every task function over the CSV, written to Parquet and read back",
    async () => {
      const run = await runSqlCli(
        [
          "--concurrency",
          String(CONCURRENCY),
          "--default-chat-endpoint",
          steadyChat.name,
          "--default-embeddings-endpoint",
          embeddings.name,
          "-f",
          writeFile(
            dir,
            "tasks.sql",
            `COPY (
             SELECT id,
               ai_analyze_sentiment(review) AS sentiment,
               ai_classify(review, ARRAY('kettle', 'toaster', 'other')) AS category,
               ai_extract(review, ARRAY('product', 'color')) AS fields,
               ai_fix_grammar(split_part(review, '.', 1)) AS fixed,
               ai_gen('Write a reply to: ' || review) AS reply,
               ai_mask(review, ARRAY('email')) AS masked,
               ai_similarity(review, review) AS self_similarity,
               ai_similarity(review, 'Great value, i love it') AS similarity,
               ai_summarize(review, 3) AS summary,
               ai_translate(review, 'es') AS spanish
             FROM read_csv('reviews.csv')
           ) TO 'tasks.parquet' (FORMAT parquet);
           SELECT * FROM 'tasks.parquet' ORDER BY id;`,
          ),
          "--output",
          "json",
        ],
        dir,
      );
      expect(run.code, run.stderr).toBe(0);
      const rows = JSON.parse(run.stdout) as Record<string, any>[];
      expect(rows).toHaveLength(ROWS);
      for (const row of rows) {
        const r = reviewOf(row.id);
        const firstSentence = r.review.split(".")[0]!;
        expect(row.sentiment).toBe(r.sentiment);
        expect(row.category).toBe(r.product === "kettle" || r.product === "toaster" ? r.product : "other");
        expect(row.fields).toEqual({ product: r.product, color: r.color });
        expect(row.fixed).toBe(`${firstSentence.replace(/\bi\b/g, "I")}.`);
        expect(row.reply).toBe(`Echo: Write a reply to: ${r.review}`);
        expect(row.masked).toBe(r.review.replace(r.email, "[MASKED]"));
        expect(row.self_similarity).toBeCloseTo(1, 5);
        expect(row.similarity).toBeGreaterThanOrEqual(-1);
        expect(row.similarity).toBeLessThan(0.9999);
        expect(row.summary).toBe(r.review.split(/\s+/).slice(0, 3).join(" "));
        expect(row.spanish).toBe(`[es] ${r.review}`);
      }
      // One summary per statement: the COPY made the calls, the SELECT none.
      expect(run.stderr.match(/AI functions:/g)).toHaveLength(1);
      expect(summaryCount(run.stderr, "errors")).toBe(0);
      expect(upstream.maxInFlight.get(steadyChat.model)).toBeLessThanOrEqual(CONCURRENCY);
      expect(upstream.maxInFlight.get(embeddings.model)).toBeLessThanOrEqual(CONCURRENCY);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "failOnError => false gives each failed row its error; without it the statement fails",
    async () => {
      const request = "CASE WHEN id % 1000 = 0 THEN review || ' [[reject]]' ELSE review END";
      const perRow = await runSqlCli(
        [
          "--output",
          "json",
          `SELECT id, ai_query('${chat.name}', ${request}, failOnError ` +
            `=> false) AS r FROM read_csv('reviews.csv') ORDER BY id`,
        ],
        dir,
      );
      expect(perRow.code, perRow.stderr).toBe(0);
      const rows = JSON.parse(perRow.stdout) as {
        id: number;
        r: { result: string | null; errorMessage: string | null };
      }[];
      expect(rows).toHaveLength(ROWS);
      for (const { id, r } of rows)
        if (id % 1000 === 0) {
          expect(r.result).toBeNull();
          expect(r.errorMessage).toMatch(/content filter/);
        } else expect(r).toEqual({ result: `Echo: ${reviewOf(id).review}`, errorMessage: null });
      // Errors are counted per distinct request (the rejected rows repeat some reviews).
      const rejected = new Set(rows.filter(({ id }) => id % 1000 === 0).map(({ id }) => reviewOf(id).review));
      expect(summaryCount(perRow.stderr, "errors")).toBe(rejected.size);

      const failing = await runSqlCli(
        ["--output", "json", `SELECT ai_query('${chat.name}', ${request}) FROM read_csv('reviews.csv')`],
        dir,
      );
      expect(failing.code).toBe(1);
      expect(failing.stderr).toMatch(/ai_query failed on a row: .*content filter.*failOnError => false/);
    },
    TEST_TIMEOUT_MS,
  );

  /** The endpoint's usage records since the suite started, waiting until there are `count`. */
  async function usageRecords(endpoint: string, count: number): Promise<any[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const records: any[] = [];
      let token: string | undefined;
      do {
        const page = await ok(
          api(
            "GET",
            `/api/2.0/serving-endpoints/${endpoint}/usage/records?start_time=${startedAt - 60_000}&max_results=1000` +
              (token ? `&page_token=${token}` : ""),
          ),
        );
        records.push(...page.usage_records);
        token = page.next_page_token;
      } while (token);
      if (records.length >= count || Date.now() > deadline) return records;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function waitForUsage(endpoint: string, requests: number) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const body = await ok(api("GET", `/api/2.0/serving-endpoints/${endpoint}/usage?group_by=served_entity`));
      const row = body.usage.find((u: { group: string }) => u.group === "mock") ?? { request_count: 0 };
      if (row.request_count >= requests || Date.now() > deadline) return row;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
});

function writeFile(dir: string, name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
}
