import { describe, expect, it } from "vitest";
import { fixtureJson } from "../shared/provider-fixtures";
import { parseProviderValue } from "../shared/provider-json";
import { batchEmbedContentsResponseSchema } from "./palm-response-schema";

const BATCH_EMBED_STRING_VALUES = fixtureJson("palm", "batch-embed-string-values.json");

describe("batchEmbedContents response schema", () => {
  it("a changed field is a 502 naming the field", () => {
    expect(() =>
      parseProviderValue(batchEmbedContentsResponseSchema, BATCH_EMBED_STRING_VALUES, "palm", "an embeddings response"),
    ).toThrow("'embeddings[0].values' is string, expected array");
  });
});
