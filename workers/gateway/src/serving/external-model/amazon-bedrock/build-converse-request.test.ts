import { describe, expect, it } from "vitest";
import { buildConverseCompletionsRequest, buildConverseRequest } from "./build-converse-request";
import { mapConverseStopReason } from "./map-converse-stop-reason";

describe("buildConverseRequest", () => {
  it(
    "maps sampling to inferenceConfig, top_k and extra_params " + "per model family, and drops Databricks-only fields",
    () => {
      expect(
        buildConverseRequest(
          {
            model: "ep",
            messages: [{ role: "user", content: "hi" }],
            max_tokens: 100,
            temperature: 0.5,
            top_p: 0.9,
            top_k: 40,
            stop: ["END"],
            stream: true,
            stream_options: { include_usage: true },
            client_request_id: "r1",
            usage_context: { a: 1 },
            extra_params: {
              guardrailConfig: { guardrailIdentifier: "g", guardrailVersion: "1" },
              anthropic_beta: ["x"],
            },
          },
          "anthropic",
        ),
      ).toEqual({
        messages: [{ role: "user", content: [{ text: "hi" }] }],
        inferenceConfig: { maxTokens: 100, temperature: 0.5, topP: 0.9, stopSequences: ["END"] },
        additionalModelRequestFields: { top_k: 40, anthropic_beta: ["x"] },
        guardrailConfig: { guardrailIdentifier: "g", guardrailVersion: "1" },
      });
      expect(
        buildConverseRequest({ messages: [{ role: "user", content: "hi" }], top_k: 5 }, "amazon")
          .additionalModelRequestFields,
      ).toEqual({ inferenceConfig: { topK: 5 } });
    },
  );

  it("gives a 400 for what Converse lacks", () => {
    const messages = [{ role: "user", content: "hi" }];
    expect(() => buildConverseRequest({ messages, n: 3 }, "anthropic")).toThrow(/'n'/);
    expect(() => buildConverseRequest({ messages, response_format: { type: "json_object" } }, "anthropic")).toThrow(
      /JSON mode/,
    );
    expect(() => buildConverseRequest({ messages, seed: 1 }, "anthropic")).toThrow(/'seed'/);
    expect(() => buildConverseRequest({ messages, top_k: 1 }, "ai21labs")).toThrow(/top_k/);
  });

  it("serves completions as one user turn", () => {
    expect(buildConverseCompletionsRequest({ prompt: "Once", max_tokens: 9 }, "amazon")).toEqual({
      messages: [{ role: "user", content: [{ text: "Once" }] }],
      inferenceConfig: { maxTokens: 9 },
    });
    expect(() => buildConverseCompletionsRequest({ prompt: ["a", "b"] }, "amazon")).toThrow(/one prompt/);
  });
});

describe("mapConverseStopReason", () => {
  it("maps Converse stop reasons", () => {
    expect(mapConverseStopReason("end_turn")).toEqual({ unified: "stop", raw: "end_turn" });
    expect(mapConverseStopReason("stop_sequence").unified).toBe("stop");
    expect(mapConverseStopReason("max_tokens").unified).toBe("length");
    expect(mapConverseStopReason("tool_use").unified).toBe("tool_calls");
    expect(mapConverseStopReason("guardrail_intervened").unified).toBe("content_filter");
  });
});
