/**
 * runSql through DuckDB, the UDF and the worker-thread bridge, against a local stand-in of the gateway's
 * two routes it uses (the real gateway is in test/e2e/sql-ai-functions.test.ts).
 */
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
const server = http.createServer(async (req, res) => {
  let text = "";
  for await (const c of req) text += c;
  res.setHeader("content-type", "application/json");
  if (req.url === "/__prompts") return res.end(JSON.stringify(prompts.splice(0)));
  if (req.method === "GET") return res.end(JSON.stringify({ name: "chat", task: "llm/v1/chat" }));
  const prompt = JSON.parse(text).messages[0].content;
  prompts.push(prompt);
  if (prompt.startsWith("bad")) {
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

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const stderr = { write: () => true } as unknown as NodeJS.WritableStream;
  await runSql(sql, { host, token: "t", stderr, progress: false }, async ({ columns, chunks }) => {
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
});
