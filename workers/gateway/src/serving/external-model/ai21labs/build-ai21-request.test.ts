import { describe, expect, it } from "vitest";
import { buildAi21Request } from "./build-ai21-request";

const messages = [{ role: "user", content: "hi" }];

describe("buildAi21Request", () => {
  it("maps sampling parameters and sets the model; user (no AI21 field) is not sent", () => {
    expect(
      buildAi21Request(
        {
          model: "my-endpoint",
          messages,
          temperature: 0.3,
          top_p: 0.9,
          max_tokens: 100,
          stop: "END",
          n: 2,
          response_format: { type: "json_object" },
          client_request_id: "r",
          usage_context: { a: 1 },
          user: "claude-user-1",
        },
        "jamba-large",
        "llm/v1/chat",
      ),
    ).toEqual({
      model: "jamba-large",
      messages,
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 100,
      stop: ["END"],
      n: 2,
      response_format: { type: "json_object" },
    });
  });
  it("uses max_completion_tokens as max_tokens and merges extra_params (e.g. documents)", () => {
    expect(
      buildAi21Request(
        { messages, max_completion_tokens: 50, extra_params: { documents: [{ content: "doc" }] } },
        "jamba-mini",
        "llm/v1/chat",
      ),
    ).toEqual({
      model: "jamba-mini",
      messages,
      max_tokens: 50,
      documents: [{ content: "doc" }],
    });
  });
  it("streams without stream_options (AI21 always sends usage on the last chunk)", () => {
    expect(
      buildAi21Request(
        { messages, stream: true, stream_options: { include_usage: true } },
        "jamba-mini",
        "llm/v1/chat",
      ),
    ).toEqual({ model: "jamba-mini", messages, stream: true });
  });
  it("serves completions as one user message", () => {
    expect(buildAi21Request({ prompt: "Say hi", max_tokens: 5 }, "jamba-mini", "llm/v1/completions")).toEqual({
      model: "jamba-mini",
      messages: [{ role: "user", content: "Say hi" }],
      max_tokens: 5,
    });
    expect(() => buildAi21Request({ prompt: ["a", "b"] }, "jamba-mini", "llm/v1/completions")).toThrow(/one prompt/);
  });
  it("gives a 400 for what AI21 lacks, never dropping it", () => {
    for (const [field, value] of [
      ["top_k", 5],
      ["presence_penalty", 1],
      ["frequency_penalty", 1],
      ["logprobs", true],
      ["seed", 1],
    ] as const)
      expect(() => buildAi21Request({ messages, [field]: value }, "jamba-mini", "llm/v1/chat"), field).toThrow(
        new RegExp(`does not support '${field}'`),
      );
    expect(() =>
      buildAi21Request(
        { messages, response_format: { type: "json_schema", json_schema: {} } },
        "jamba-mini",
        "llm/v1/chat",
      ),
    ).toThrow(/json_schema/);
    expect(() => buildAi21Request({ messages, stream: true, n: 2 }, "jamba-mini", "llm/v1/chat")).toThrow(/n > 1/);
    expect(() => buildAi21Request({ input: "x" }, "jamba-mini", "llm/v1/embeddings")).toThrow(/'input'|embeddings/);
  });
});
