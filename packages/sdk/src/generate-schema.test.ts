import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_SCHEMA_PATH, renderSchemaSource } from "./generate-schema";

describe("schema.gen.ts", () => {
  it("is what `pnpm sdk:generate` makes from the current OpenAPI document (run it after an API change)", async () => {
    const committed = fs.readFileSync(GENERATED_SCHEMA_PATH, "utf8");
    const fresh = await renderSchemaSource();
    // A boolean first, so that a stale file fails with the instruction rather than a 6,000-line diff.
    expect(committed === fresh, "packages/sdk/src/schema.gen.ts is stale: run `pnpm sdk:generate`").toBe(true);
  });
});
