import { describe, expect, it } from "vitest";
import { readOperatorConfig } from "./operator-config";

const price = { input: 1, output: 2 };

describe("EDGESERVE_FOUNDATION_MODELS", () => {
  it("unset or empty enables nothing", () => {
    expect(readOperatorConfig(undefined)).toEqual({ models: {} });
    expect(readOperatorConfig(" ")).toEqual({ models: {} });
  });

  it("parses each backend", () => {
    const text = JSON.stringify({
      "databricks-meta-llama-3-3-70b-instruct": {
        backend: "workers-ai",
        model: "@cf/x",
        price_per_million_tokens: price,
      },
      "databricks-gpt-oss-20b": {
        backend: "openai-compatible",
        url: "http://127.0.0.1:8000/v1",
        model: "gpt-oss-20b",
        api_key_secret: "VLLM_TOKEN",
        price_per_million_tokens: price,
        limits: { output_tokens_per_minute: 1000 },
      },
      "databricks-gte-large-en": { backend: "inference", price_per_million_tokens: price },
    });
    const parsed = readOperatorConfig(text);
    expect("models" in parsed && Object.keys(parsed.models)).toEqual([
      "databricks-meta-llama-3-3-70b-instruct",
      "databricks-gpt-oss-20b",
      "databricks-gte-large-en",
    ]);
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    [
      "a name outside the catalogue",
      { "my-model": { backend: "inference", price_per_million_tokens: price } },
      /not a catalogue model/,
    ],
    [
      "the inference backend for a chat model",
      { "databricks-gpt-oss-20b": { backend: "inference", price_per_million_tokens: price } },
      /embeddings only/,
    ],
    ["no price", { "databricks-gte-large-en": { backend: "inference" } }, /price_per_million_tokens/],
    [
      "a plaintext key instead of a secret's name",
      {
        "databricks-gpt-oss-20b": {
          backend: "openai-compatible",
          url: "http://h/v1",
          model: "m",
          api_key: "sk-123",
          price_per_million_tokens: price,
        },
      },
      /api_key/,
    ],
  ])("refuses %s, saying why", (_, config, problem) => {
    const parsed = readOperatorConfig(typeof config === "string" ? config : JSON.stringify(config));
    expect("problem" in parsed && parsed.problem).toMatch(problem);
  });
});
