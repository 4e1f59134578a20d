import { describe, expect, it } from "vitest";
import { builtinEmbeddingsProblem, builtinEmbeddingsTaskOf, isBuiltinEmbeddingsEntity } from "./builtin-entity";

describe("built-in embeddings entity", () => {
  it("is recognised by its system entity name, never as an external model", () => {
    expect(isBuiltinEmbeddingsEntity({ entity_name: "system.ai.universal_sentence_encoder" })).toBe(true);
    expect(isBuiltinEmbeddingsEntity({ entity_name: "main.default.iris" })).toBe(false);
    expect(isBuiltinEmbeddingsEntity({ entity_name: "system.ai.universal_sentence_encoder", external_model: {} })).toBe(
      false,
    );
  });

  it("accepts version 1 (also when omitted) and names the versions it has otherwise", () => {
    expect(builtinEmbeddingsProblem({ entity_version: "1" })).toBeNull();
    expect(builtinEmbeddingsProblem({})).toBeNull();
    expect(builtinEmbeddingsProblem({ entity_version: "2" })).toBe(
      "'system.ai.universal_sentence_encoder' has no version '2'; available: 1.",
    );
  });

  it("gives an endpoint the embeddings task only when every entity is the built-in encoder", () => {
    const builtin = { entity_name: "system.ai.universal_sentence_encoder" };
    expect(builtinEmbeddingsTaskOf([builtin, builtin])).toBe("llm/v1/embeddings");
    expect(builtinEmbeddingsTaskOf([builtin, { entity_name: "main.default.iris" }])).toBeNull();
    expect(builtinEmbeddingsTaskOf([])).toBeNull();
  });
});
