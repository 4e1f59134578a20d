import { describe, expect, it } from "vitest";
import {
  buildCohereChatRequest,
  buildCohereCompletionsRequest,
  buildCohereEmbedRequests,
} from "./build-cohere-request";

describe("buildCohereChatRequest", () => {
  it("maps sampling parameters, JSON mode and extra_params, and drops Databricks-only fields", () => {
    const body = buildCohereChatRequest(
      {
        model: "my-endpoint",
        messages: [{ role: "user", content: "hi" }],
        temperature: 0.3,
        top_p: 0.9,
        top_k: 40,
        max_tokens: 50,
        stop: "END",
        seed: 7,
        n: 1,
        stream_options: { include_usage: true },
        response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } },
        client_request_id: "abc",
        usage_context: { team: "a" },
        extra_params: { safety_mode: "STRICT" },
      },
      "command-r-plus",
      true,
    );
    expect(body).toEqual({
      model: "command-r-plus",
      messages: [{ role: "user", content: "hi" }],
      temperature: 0.3,
      p: 0.9,
      k: 40,
      max_tokens: 50,
      stop_sequences: ["END"],
      seed: 7,
      response_format: { type: "json_object", json_schema: { type: "object" } },
      safety_mode: "STRICT",
      stream: true,
    });
  });

  it("gives a 400 for what Cohere lacks instead of dropping it", () => {
    const messages = [{ role: "user", content: "hi" }];
    expect(() => buildCohereChatRequest({ messages, n: 2 }, "m", false)).toThrow(/'n'/);
    expect(() => buildCohereChatRequest({ messages, logit_bias: { 1: 2 } }, "m", false)).toThrow(/logit_bias/);
    expect(() => buildCohereChatRequest({ messages, parallel_tool_calls: false }, "m", false)).toThrow(/parallel/);
    expect(() => buildCohereChatRequest({ messages, response_format: { type: "grammar" } }, "m", false)).toThrow(
      /grammar/,
    );
  });
});

describe("buildCohereCompletionsRequest", () => {
  it("sends the prompt as one user message to chat", () => {
    expect(
      buildCohereCompletionsRequest({ prompt: ["Say hi"], max_tokens: 5, stop: ["\n"] }, "command-r", false),
    ).toEqual({
      model: "command-r",
      messages: [{ role: "user", content: "Say hi" }],
      max_tokens: 5,
      stop_sequences: ["\n"],
      stream: false,
    });
    expect(() => buildCohereCompletionsRequest({ prompt: ["a", "b"] }, "m", false)).toThrow(/one prompt/);
  });
});

describe("buildCohereEmbedRequests", () => {
  it("asks for float embeddings of search documents, in batches of 96", () => {
    const input = Array.from({ length: 100 }, (_, i) => `t${i}`);
    const bodies = buildCohereEmbedRequests(
      { input, dimensions: 256, extra_params: { input_type: "search_query" } },
      "embed-v4.0",
    );
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toEqual({
      model: "embed-v4.0",
      texts: input.slice(0, 96),
      input_type: "search_query",
      embedding_types: ["float"],
      output_dimension: 256,
    });
    expect((bodies[1]!.texts as string[]).length).toBe(4);
    expect(buildCohereEmbedRequests({ input: "one" }, "e")[0]).toEqual({
      model: "e",
      texts: ["one"],
      input_type: "search_document",
      embedding_types: ["float"],
    });
    expect(buildCohereEmbedRequests({ input: "x", encoding_format: "base64" }, "e")[0]).not.toHaveProperty(
      "encoding_format",
    );
  });
});
