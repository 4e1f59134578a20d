/**
 * docs/sql.md's walkthrough, run as written: its `sql` block is the query file, its `sh` block the command
 * line, against an endpoint of the name it uses on the instruction-following mock upstream.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InstructionFollowingUpstream,
  startInstructionFollowingUpstream,
} from "../mocks/instruction-following-upstream";
import { createUpstreamEndpoint, randomToken, reviewOf, runSqlCli, writeReviewsCsv } from "./sql-helpers";

const ROWS = 2_000;

/** The walkthrough section's fenced blocks of `lang`, in order. */
function walkthroughBlocks(lang: string): string[] {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/sql.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Walkthrough"), doc.indexOf("\n## ", doc.indexOf("## Walkthrough") + 3));
  return [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1]!);
}

describe("docs/sql.md walkthrough", () => {
  const token = randomToken();
  const dir = writeReviewsCsv(fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-sql-walkthrough-")), ROWS);
  let upstream: InstructionFollowingUpstream;

  beforeAll(async () => {
    upstream = await startInstructionFollowingUpstream({ token });
    await createUpstreamEndpoint(upstream.url, token, "llm/v1/chat", { name: "reviews-chat" });
  });
  afterAll(async () => {
    await upstream?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("enriches the reviews CSV into Parquet and prints the top sentiment/product pairs", async () => {
    const [sql] = walkthroughBlocks("sql");
    const [command] = walkthroughBlocks("sh");
    expect(sql).toContain("COPY");
    const argv = command!.trim().split(/\s+/);
    expect(argv.slice(0, 2)).toEqual(["edgeserve", "sql"]);
    fs.writeFileSync(path.join(dir, "walkthrough.sql"), sql!);

    const run = await runSqlCli(argv.slice(2), dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/AI functions: rows \d+ .* errors 0 .* statement [0-9a-f-]{36}/);

    // The printed table: the 5 most frequent (sentiment, product) pairs, each counted as the CSV holds them.
    const counts = new Map<string, number>();
    for (let id = 1; id <= ROWS; id++) {
      const r = reviewOf(id);
      counts.set(`${r.sentiment}|${r.product}`, (counts.get(`${r.sentiment}|${r.product}`) ?? 0) + 1);
    }
    const printed = run.stdout
      .split("\n")
      .filter((l) => l.startsWith("│") && !l.includes("sentiment"))
      .map((l) =>
        l
          .split("│")
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    expect(printed).toHaveLength(5);
    for (const [sentiment, product, reviews, failed] of printed) {
      expect(Number(reviews)).toBe(counts.get(`${sentiment}|${product}`));
      expect(failed).toBe("0");
    }

    // The Parquet file holds every review with its fields.
    const check = await runSqlCli(
      ["--output", "json", "SELECT id, fields, reply.result AS reply FROM 'reviews-enriched.parquet' ORDER BY id"],
      dir,
    );
    expect(check.code, check.stderr).toBe(0);
    const rows = JSON.parse(check.stdout) as { id: number; fields: unknown; reply: string }[];
    expect(rows).toHaveLength(ROWS);
    for (const row of rows) {
      const r = reviewOf(row.id);
      expect(row.fields).toEqual({ product: r.product, color: r.color });
      expect(row.reply).toBe(`Echo: Write a one-line reply to this review: ${r.review}`);
    }
  }, 150_000);
});
