/**
 * runSql through DuckDB, the UDF and the worker-thread bridge, against a local stand-in of the gateway's
 * two routes it uses (the real gateway is in test/e2e/sql-ai-functions.test.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSql } from "./run-sql";

/**
 * The stand-in runs in its own thread: while DuckDB's UDF blocks this thread in Atomics.wait, a server on
 * this thread's event loop could never answer the bridge's calls.
 */
const STAND_IN = `
const http = require("node:http");
const { parentPort } = require("node:worker_threads");
const prompts = [];
let inFlight = 0;
let maxInFlight = 0;
const server = http.createServer(async (req, res) => {
  let text = "";
  for await (const c of req) text += c;
  res.setHeader("content-type", "application/json");
  if (req.url === "/__prompts") return res.end(JSON.stringify(prompts.splice(0)));
  if (req.url === "/__max-in-flight") {
    res.end(String(maxInFlight));
    return (maxInFlight = 0);
  }
  if (req.method === "GET") return res.end(JSON.stringify({ name: "chat", task: "llm/v1/chat" }));
  const prompt = JSON.parse(text).messages[0].content;
  prompts.push(prompt);
  // "slow" prompts are held a while, so calls that are sent together are seen in flight together.
  if (prompt.startsWith("slow")) {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await new Promise((r) => setTimeout(r, 1500));
    inFlight--;
  }  if (prompt.startsWith("bad")) {
    res.statusCode = 400;
    return res.end(JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "refused" }));
  }
  res.end(JSON.stringify({ choices: [{ message: { content: prompt.startsWith("n") ? "42" : "A:" + prompt } }] }));
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;

let standIn: Worker;
let host: string;

beforeAll(async () => {
  standIn = new Worker(STAND_IN, { eval: true });
  host = `http://127.0.0.1:${await new Promise((r) => standIn.once("message", r))}`;
});
afterAll(() => standIn.terminate());

/** The prompts the stand-in received since the last call. */
async function takePrompts(): Promise<string[]> {
  return (await fetch(`${host}/__prompts`)).json();
}

async function rows(sql: string, concurrency?: number): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const stderr = { write: () => true } as unknown as NodeJS.WritableStream;
  await runSql(sql, { host, token: "t", stderr, progress: false, concurrency }, async ({ columns, chunks }) => {
    for await (const chunk of chunks)
      for (const r of chunk) out.push(Object.fromEntries(columns.map((c, i) => [c, r[i]])));
  });
  return out;
}

describe("runSql (DuckDB + bridge)", () => {
  it("answers every row of many vector chunks, sending each distinct request once", async () => {
    await takePrompts();
    const result = await rows("SELECT i, ai_query('chat', 'q' || (i % 50)) AS a FROM range(10000) t(i) ORDER BY i");
    expect(result).toHaveLength(10_000);
    expect(result.every((r) => r.a === `A:q${Number(r.i) % 50}`)).toBe(true);
    expect((await takePrompts()).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `q${i}`).sort());
  });

  it("runs two AI columns' calls concurrently, within the --concurrency bound, each request once", async () => {
    const twoColumns =
      "SELECT i, ai_query('chat', 'slow a' || i) AS a, ai_gen('slow b' || i, endpoint => 'chat') AS b " +
      "FROM range(4) t(i) ORDER BY i";
    await takePrompts();
    await fetch(`${host}/__max-in-flight`);
    const result = await rows(twoColumns, 8);
    expect(result).toEqual([0, 1, 2, 3].map((i) => ({ i: String(i), a: `A:slow a${i}`, b: `A:slow b${i}` })));
    expect((await takePrompts()).sort()).toEqual([0, 1, 2, 3].flatMap((i) => [`slow a${i}`, `slow b${i}`]).sort());
    // Both columns' four calls were in flight at once (one after the other, at most four would be).
    expect(await (await fetch(`${host}/__max-in-flight`)).json()).toBe(8);

    await rows(twoColumns.replaceAll("slow ", "slow again "), 3);
    expect(await (await fetch(`${host}/__max-in-flight`)).json()).toBe(3);
  });

  it("gives NULL for a NULL request without a call, and casts to returnType", async () => {
    await takePrompts();
    const result = await rows("SELECT ai_query('chat', NULL::VARCHAR) AS a, ai_query('chat', 'n1', 'INT') + 1 AS n");
    expect(result).toEqual([{ a: null, n: 43 }]);
    expect(await takePrompts()).toEqual(["n1"]);
  });

  it("with failOnError => false, returns each row's error; without it, the statement fails", async () => {
    const result = await rows(
      "SELECT ai_query('chat', p, failOnError => false) AS r FROM (VALUES ('ok'), ('bad one')) v(p) ORDER BY p DESC",
    );
    expect(result).toEqual([
      { r: { result: "A:ok", errorMessage: null } },
      { r: { result: null, errorMessage: "INVALID_PARAMETER_VALUE: refused" } },
    ]);
    await expect(rows("SELECT ai_query('chat', 'bad two')")).rejects.toThrow(
      /ai_query failed on a row: INVALID_PARAMETER_VALUE: refused/,
    );
  });

  it("reads a CSV larger than its bounded read buffer whole, a line of 1.5 MB included", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-sql-csv-"));
    const file = path.join(dir, "in.csv");
    const lines = Array.from({ length: 100_000 }, (_, i) => `${i},review number ${i} of a kettle`);
    fs.writeFileSync(file, `id,review\n${lines.join("\n")}\n100000,${"x".repeat(1_500_000)}\n`);
    try {
      const result = await rows(
        `SELECT count(*) AS n, count(DISTINCT id) AS ids, max(length(review)) AS longest, min(a) AS a
         FROM (SELECT id, review, ai_query('chat', 'q' || (id % 3)) AS a FROM read_csv('${file}'))`,
      );
      expect(result).toEqual([{ n: "100001", ids: "100001", longest: "1500000", a: "A:q0" }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
