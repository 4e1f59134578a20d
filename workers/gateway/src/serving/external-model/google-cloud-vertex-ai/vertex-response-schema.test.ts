import { describe, expect, it } from "vitest";
import { fixtureJson } from "../shared/provider-fixtures";
import { parseProviderValue } from "../shared/provider-json";
import { vertexEmbeddingsResponseSchema } from "./vertex-response-schema";

const VERTEX_PREDICTION_WITHOUT_VALUES = fixtureJson("google-cloud-vertex-ai", "vertex-prediction-without-values.json");

describe("vertex embeddings response schema", () => {
  it("a changed field is a 502 naming the field", () => {
    expect(() =>
      parseProviderValue(
        vertexEmbeddingsResponseSchema,
        VERTEX_PREDICTION_WITHOUT_VALUES,
        "google-cloud-vertex-ai",
        "an embeddings response",
      ),
    ).toThrow("'predictions[0].embeddings.values' is missing (expected array)");
  });
});
