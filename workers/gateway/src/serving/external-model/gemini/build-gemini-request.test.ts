import { describe, expect, it } from "vitest";
import { buildGeminiRequest } from "./build-gemini-request";

describe("buildGeminiRequest", () => {
  it("maps sampling parameters to generationConfig and leaves Databricks fields and user out", () => {
    const request = buildGeminiRequest(
      "llm/v1/chat",
      {
        model: "my-endpoint",
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "hi" },
        ],
        temperature: 0.3,
        top_p: 0.9,
        top_k: 20,
        max_tokens: 50,
        stop: "END",
        n: 2,
        seed: 7,
        stream: true,
        stream_options: { include_usage: true },
        client_request_id: "r1",
        usage_context: { team: "a" },
        response_format: { type: "json_object" },
        user: "claude-user-1",
      },
      "p",
    );
    expect(request).toEqual({
      systemInstruction: { parts: [{ text: "be brief" }] },
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
      generationConfig: {
        temperature: 0.3,
        topP: 0.9,
        topK: 20,
        maxOutputTokens: 50,
        stopSequences: ["END"],
        candidateCount: 2,
        seed: 7,
        responseMimeType: "application/json",
      },
    });
  });

  it("sends a json_schema response format as responseSchema", () => {
    const request = buildGeminiRequest(
      "llm/v1/chat",
      {
        messages: [{ role: "user", content: "x" }],
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "r",
            schema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
          },
        },
      },
      "p",
    );
    expect(request.generationConfig).toEqual({
      responseMimeType: "application/json",
      responseSchema: { type: "object", properties: { a: { type: "string" } } },
    });
  });

  it("merges extra_params into the request and its generationConfig", () => {
    const request = buildGeminiRequest(
      "llm/v1/chat",
      {
        messages: [{ role: "user", content: "x" }],
        temperature: 1,
        extra_params: {
          safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
          generationConfig: { thinkingConfig: { thinkingBudget: 0 } },
        },
      },
      "p",
    );
    expect(request.safetySettings).toHaveLength(1);
    expect(request.generationConfig).toEqual({ temperature: 1, thinkingConfig: { thinkingBudget: 0 } });
    expect(() =>
      buildGeminiRequest(
        "llm/v1/chat",
        { messages: [{ role: "user", content: "x" }], extra_params: { contents: [] } },
        "p",
      ),
    ).toThrow(/extra_params.contents/);
  });

  it("serves completions as one user turn", () => {
    expect(buildGeminiRequest("llm/v1/completions", { prompt: ["Once upon"], max_tokens: 5 }, "p")).toEqual({
      contents: [{ role: "user", parts: [{ text: "Once upon" }] }],
      generationConfig: { maxOutputTokens: 5 },
    });
    expect(() => buildGeminiRequest("llm/v1/completions", { prompt: ["a", "b"] }, "p")).toThrow(/several prompts/);
    expect(() => buildGeminiRequest("llm/v1/completions", { prompt: "a", echo: true }, "palm")).toThrow(
      "palm does not support the field 'echo' for completions.",
    );
  });

  it("rejects OpenAI fields Gemini cannot honour", () => {
    const messages = [{ role: "user", content: "x" }];
    expect(() => buildGeminiRequest("llm/v1/chat", { messages, logit_bias: { 1: 2 } }, "p")).toThrow(
      "p does not support the field 'logit_bias'.",
    );
    expect(() => buildGeminiRequest("llm/v1/chat", { messages, logprobs: true }, "p")).toThrow(/logprobs/);
    expect(() => buildGeminiRequest("llm/v1/chat", { messages, parallel_tool_calls: false }, "p")).toThrow(
      /parallel_tool_calls/,
    );
  });
});
