import { describe, expect, it } from "vitest";
import { GROUP_UDF_NAME, UDF_NAME, rewriteAiFunctions } from "./rewrite";
import { SqlTextError } from "./sql-text";

/** The spec literals of the rewritten UDF calls, parsed. */
function specs(sql: string): Record<string, unknown>[] {
  return [...sql.matchAll(new RegExp(`(?:${GROUP_UDF_NAME}|${UDF_NAME})\\('((?:[^']|'')*)'`, "g"))].map((m) =>
    JSON.parse(m[1]!.replaceAll("''", "'")),
  );
}

describe("rewriteAiFunctions", () => {
  it("turns ai_query into the UDF with a per-row payload, leaving the rest of the statement alone", () => {
    const { sql, aiCalls } = rewriteAiFunctions("SELECT id, ai_query('chat', 'Classify: ' || review) AS label FROM t");
    expect(aiCalls).toBe(1);
    expect(sql).toBe(
      `SELECT id, ${UDF_NAME}('{"fn":"ai_query","mode":"text","resultIsText":true}', ` +
        "to_json({'endpoint': 'chat', 'request': 'Classify: ' || review})) AS label FROM t",
    );
  });

  it("accepts Databricks' named arguments (=>) and DuckDB's (:=), names in any case", () => {
    for (const arrow of ["=>", ":="]) {
      const { sql } = rewriteAiFunctions(`SELECT ai_query('e', r, FAILONERROR ${arrow} false) FROM t`);
      expect(sql).toMatch(
        /^SELECT TRY_CAST\(CAST\(__edgeserve_ai\(.*\) AS JSON\) AS STRUCT\(result VARCHAR, errorMessage VARCHAR\)\)/,
      );
      expect(specs(sql)[0]).toMatchObject({ mode: "safe" });
    }
  });

  it("casts to returnType, translating Databricks' type names", () => {
    const { sql } = rewriteAiFunctions("SELECT ai_query('e', r, 'STRUCT<score: INT, tags: ARRAY<STRING>>') FROM t");
    expect(sql).toContain('AS STRUCT("score" INTEGER, "tags" VARCHAR[]))');
    expect(specs(sql)[0]).toMatchObject({ mode: "json", resultIsText: false });
    const named = rewriteAiFunctions("SELECT ai_query('e', r, returnType => 'FLOAT', failOnError => false) FROM t");
    expect(named.sql).toContain("AS STRUCT(result FLOAT, errorMessage VARCHAR)");
  });

  it("rewrites named_struct and ARRAY(...) into DuckDB's syntax; ARRAY(SELECT …) stays", () => {
    const { sql } = rewriteAiFunctions(
      "SELECT ai_query('e', r, modelParameters => named_struct('max_tokens', 100, 'temperature', 0.5)), " +
        "ai_classify(r, ARRAY('a', 'b'), endpoint => 'c'), ARRAY(SELECT 1) FROM t",
    );
    expect(sql).toContain("'modelParameters': {'max_tokens': 100, 'temperature': 0.5}");
    expect(sql).toContain("'labels': list_value('a', 'b')");
    expect(sql).toContain("ARRAY(SELECT 1)");
  });

  it("takes a task function's endpoint from the call, the function's default, or the kind's default", () => {
    const defaults = { chat: "chat", embeddings: "emb", byFunction: { ai_translate: "translator" } };
    const { sql } = rewriteAiFunctions(
      "SELECT ai_summarize(x), ai_similarity(a, b), ai_translate(x, 'fr'), ai_gen(p, endpoint => 'other') FROM t",
      defaults,
    );
    expect(specs(sql).map((s) => s.defaultEndpoint)).toEqual(["chat", "emb", "translator", "chat"]);
    expect(sql).toContain("to_json({'endpoint': 'other', 'text': p})");
    expect(() => rewriteAiFunctions("SELECT ai_summarize(x) FROM t")).toThrow(/--default-chat-endpoint/);
  });

  it("types ai_extract by its labels and ai_similarity as FLOAT", () => {
    const { sql } = rewriteAiFunctions(
      "SELECT ai_extract(t, ARRAY('person', 'location')), ai_similarity(a, b) FROM x",
      {
        chat: "c",
        embeddings: "e",
      },
    );
    expect(sql).toContain('AS STRUCT("person" VARCHAR, "location" VARCHAR))');
    expect(specs(sql)[0]).toMatchObject({ labels: ["person", "location"] });
    expect(sql).toContain("AS FLOAT)");
    expect(() => rewriteAiFunctions("SELECT ai_extract(t, labels_column) FROM x", { chat: "c" })).toThrow(
      /constant list of strings/,
    );
  });

  it("leaves names inside strings, comments, quoted identifiers and qualified names alone", () => {
    const text = `SELECT 'ai_query(x)', "ai_query(", s.ai_query(1) -- ai_query(
      /* ai_gen( */ FROM t`;
    expect(rewriteAiFunctions(text)).toEqual({ sql: text, aiCalls: 0 });
  });

  it("rewrites calls nested in another call's arguments", () => {
    const { sql, aiCalls } = rewriteAiFunctions("SELECT ai_query('e', ai_query('e', r)) FROM t");
    expect(aiCalls).toBe(2);
    expect(specs(sql)).toHaveLength(2);
  });

  it("lets the first AI item of a SELECT list send its siblings' calls (the same spec and payload text)", () => {
    const { sql } = rewriteAiFunctions(
      "SELECT id, ai_query('a', r) AS x, ai_gen(r, endpoint => 'g') y, ai_query('b', r, 'INT') FROM t",
    );
    const leader = new RegExp(
      `${GROUP_UDF_NAME}\\('((?:[^']|'')*)', (.*?), '((?:[^']|'')*)', to_json\\(list_value\\((.*)\\)\\)\\) AS x`,
    );
    const m = leader.exec(sql);
    expect(m, sql).not.toBeNull();
    const siblingSpecs = JSON.parse(m![3]!.replaceAll("''", "'")) as string[];
    // The siblings keep their plain calls, whose spec literals are exactly what the leader sends for them.
    expect(siblingSpecs.map((s) => JSON.parse(s))).toEqual(specs(sql).slice(1));
    for (const spec of siblingSpecs) expect(sql).toContain(`${UDF_NAME}(${"'"}${spec.replaceAll("'", "''")}'`);
    expect(m![4]).toBe(
      "to_json({'endpoint': 'g', 'text': r})::VARCHAR, to_json({'endpoint': 'b', 'request': r})::VARCHAR",
    );
  });

  it("groups only whole select-list items of one SELECT, without AI calls in their arguments", () => {
    const grouped = (sql: string) => rewriteAiFunctions(sql).sql.includes(GROUP_UDF_NAME);
    expect(grouped("SELECT * FROM (SELECT ai_query('a', r) a, ai_query('b', r) AS \"b\" FROM t) ORDER BY 1")).toBe(
      true,
    );
    expect(grouped("SELECT CASE WHEN k THEN ai_query('a', r) END, ai_query('b', r) FROM t")).toBe(false);
    expect(grouped("SELECT ai_query('a', r) || '!', ai_query('b', r) FROM t")).toBe(false);
    expect(grouped("SELECT ai_query('a', ai_query('x', r)), ai_query('b', r) FROM t")).toBe(false);
    expect(grouped("SELECT ai_query('a', r) FROM t WHERE ai_query('b', r) = 'y'")).toBe(false);
    expect(grouped("SELECT ai_query('a', r) FROM t UNION ALL SELECT ai_query('b', r) FROM t")).toBe(false);
  });

  it("refuses what it cannot honour, saying why", () => {
    const bad: [string, RegExp][] = [
      ["SELECT ai_query('e') FROM t", /'request' is missing/],
      ["SELECT ai_query('e', r, failOnError => maybe) FROM t", /literal true or false/],
      ["SELECT ai_query('e', r, returnType => col) FROM t", /must be a string literal/],
      ["SELECT ai_query('e', r, 'GEOMETRY') FROM t", /Unsupported return type/],
      ["SELECT ai_query('e', r, temperature => 1) FROM t", /unknown argument 'temperature'/],
      ["SELECT ai_query('e', r, responseFormat => 'STRUCT<a: INT>') FROM t", /DDL form/],
      ["SELECT ai_query('e', r, 'INT', returnType => 'INT') FROM t", /both by position and by name/],
      ["SELECT ai_query('e', 'unterminated) FROM t", /Unterminated string/],
    ];
    for (const [sql, message] of bad) expect(() => rewriteAiFunctions(sql), sql).toThrow(message);
    expect(() => rewriteAiFunctions("SELECT ai_query('e'")).toThrow(SqlTextError);
  });

  it("wraps a JSON schema responseFormat as OpenAI's json_schema response_format", () => {
    const { sql } = rewriteAiFunctions(
      `SELECT ai_query('e', r, responseFormat => '{"type": "object", "properties": {"a": {"type": "string"}}}') FROM t`,
    );
    expect(specs(sql)[0]).toMatchObject({
      responseFormat: { type: "json_schema", json_schema: { name: "result", strict: true } },
    });
  });
});
