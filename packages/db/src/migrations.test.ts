import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const pkg = path.join(import.meta.dirname, "..");

describe("migrations", () => {
  it("are in sync with src/schema.ts (drizzle-kit generate finds nothing to add)", () => {
    // drizzle-kit wants `out` relative to its working directory.
    const out = mkdtempSync(path.join(pkg, ".migrations-check-"));
    const relativeOut = `./${path.relative(pkg, out)}`;
    try {
      cpSync(path.join(pkg, "migrations"), out, { recursive: true });
      const before = readdirSync(out).sort();
      const config = path.join(out, "drizzle.config.mjs");
      writeFileSync(
        config,
        `export default { dialect: "sqlite", driver: "d1-http", schema: ` +
          `${JSON.stringify(path.join(pkg, "src/schema.ts"))}, out: ${JSON.stringify(relativeOut)} };`,
      );
      const output = execFileSync(path.join(pkg, "node_modules/.bin/drizzle-kit"), ["generate", "--config", config], {
        cwd: pkg,
        encoding: "utf8",
      });
      const after = readdirSync(out)
        .filter((f) => f !== "drizzle.config.mjs")
        .sort();
      expect(after, output).toEqual(before);
      expect(output).toContain("No schema changes");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("are plain SQL files wrangler applies in order", () => {
    const files = readdirSync(path.join(pkg, "migrations")).filter((f) => f.endsWith(".sql"));
    expect(files.length).toBeGreaterThan(0);
    expect(files).toEqual([...files].sort());
    for (const f of files) expect(f).toMatch(/^\d{4}_[a-z0-9_]+\.sql$/);
  });
});
