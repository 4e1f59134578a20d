import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_TOKENS, buildAnthropicRequest } from "./build-anthropic-request";

const messages = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Hi" },
];

describe("buildAnthropicRequest", () => {
  it("builds a Messages body with the sampling parameters, defaulting max_tokens", () => {
    expect(
      buildAnthropicRequest(
        {
          model: "my-endpoint",
          messages,
          temperature: 0.3,
          top_p: 0.9,
          top_k: 5,
          stop: "END",
          user: "u-1",
          client_request_id: "r",
          usage_context: { a: 1 },
        },
        "claude-sonnet-4-5",
        false,
      ),
    ).toEqual({
      model: "claude-sonnet-4-5",
      system: "Be brief.",
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: DEFAULT_MAX_TOKENS,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ["END"],
      metadata: { user_id: "u-1" },
    });
  });

  it("prefers max_completion_tokens, sets stream, and merges extra_params and unknown Anthropic fields", () => {
    const body = buildAnthropicRequest(
      {
        messages,
        max_tokens: 10,
        max_completion_tokens: 20,
        stream: true,
        stream_options: { include_usage: true },
        stop: ["a", "b"],
        extra_params: { thinking: { type: "enabled", budget_tokens: 1024 } },
        service_tier: "auto",
      },
      "claude",
      true,
    );
    expect(body).toMatchObject({
      max_tokens: 20,
      stream: true,
      stop_sequences: ["a", "b"],
      thinking: { type: "enabled", budget_tokens: 1024 },
      service_tier: "auto",
    });
    expect(body).not.toHaveProperty("stream_options");
    expect(body).not.toHaveProperty("extra_params");
  });

  it("maps response_format json_schema to structured outputs", () => {
    const schema = { type: "object", properties: { a: { type: "string" } } };
    expect(
      buildAnthropicRequest(
        { messages, response_format: { type: "json_schema", json_schema: { name: "x", schema } } },
        "c",
        false,
      ).output_config,
    ).toEqual({
      format: { type: "json_schema", schema },
    });
    expect(buildAnthropicRequest({ messages, response_format: { type: "text" } }, "c", false)).not.toHaveProperty(
      "output_config",
    );
  });

  it("answers 400 for what the Messages API lacks", () => {
    expect(() => buildAnthropicRequest({ messages, n: 2 }, "c", false)).toThrow(/n > 1/);
    expect(() => buildAnthropicRequest({ messages, response_format: { type: "json_object" } }, "c", false)).toThrow(
      /json_object/,
    );
    expect(() => buildAnthropicRequest({ messages, temperature: 1.5 }, "c", false)).toThrow(/between 0 and 1/);
    expect(() => buildAnthropicRequest({ messages, presence_penalty: 0.5 }, "c", false)).toThrow(/presence_penalty/);
    expect(() => buildAnthropicRequest({ messages, logprobs: true }, "c", false)).toThrow(/logprobs/);
  });

  it("serves a completions prompt as one user message", () => {
    expect(buildAnthropicRequest({ prompt: "Say hi", max_tokens: 5 }, "c", false)).toEqual({
      model: "c",
      messages: [{ role: "user", content: "Say hi" }],
      max_tokens: 5,
    });
    expect(buildAnthropicRequest({ prompt: ["Say hi"] }, "c", false).messages).toEqual([
      { role: "user", content: "Say hi" },
    ]);
    expect(() => buildAnthropicRequest({ prompt: ["a", "b"] }, "c", false)).toThrow(/one prompt at a time/);
    expect(() => buildAnthropicRequest({ prompt: "a", echo: true }, "c", false)).toThrow(/echo/);
  });
});
