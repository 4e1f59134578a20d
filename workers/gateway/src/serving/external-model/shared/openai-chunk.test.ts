import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openAiChunk } from "./openai-answer-schema";
import { isOpenAiChunk, parseOpenAiChunk } from "./openai-chunk";

const chunk = {
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, logprobs: null, finish_reason: null }],
};
const usageChunk = { ...chunk, choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } };

function refusal(value: unknown): string {
  try {
    parseOpenAiChunk(JSON.stringify(value), "custom");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("accepted");
}

describe("parseOpenAiChunk", () => {
  it("passes a valid chunk as it was parsed, extra fields included", () => {
    expect(parseOpenAiChunk(JSON.stringify(chunk), "custom")).toEqual(chunk);
    expect(parseOpenAiChunk(JSON.stringify(usageChunk), "custom")).toEqual(usageChunk);
    const finish = { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: null };
    expect(parseOpenAiChunk(JSON.stringify(finish), "custom")).toEqual(finish);
  });

  it("refuses a chunk whose field changed with a 502 naming the provider and the field", () => {
    const renamed = { ...chunk, choices: [{ ...chunk.choices[0], finish_reason: 1 }] };
    expect(refusal(renamed)).toBe(
      "The provider 'custom' sent a stream event this gateway cannot read: " +
        "'choices[0].finish_reason' is number, expected string.",
    );
    expect(refusal({ ...chunk, choices: { 0: chunk.choices[0] } })).toMatch(/'choices' is object, expected array/);
    expect(refusal({ ...usageChunk, usage: { prompt_tokens: "9" } })).toMatch(/'usage.prompt_tokens' is string/);
    expect(refusal({ ...chunk, choices: [{ index: 0, delta: "Hi" }] })).toMatch(/'choices\[0\].delta' is string/);
    expect(refusal([chunk])).toMatch(/cannot read: the body is array, expected object/);
  });

  it("refuses a stream event that is not JSON as the schema did", () => {
    let status: number | undefined;
    try {
      parseOpenAiChunk("{oops", "custom");
    } catch (error) {
      status = (error as { status?: number }).status;
      expect((error as Error).message).toBe(
        "The provider 'custom' sent a stream event this gateway cannot read: it is not JSON (\"{oops\").",
      );
    }
    expect(status).toBe(502);
  });
});

describe("isOpenAiChunk", () => {
  // Values shaped like chunks, with each field the forwarder reads sometimes of another type.
  const anyJson = fc.jsonValue({ maxDepth: 2 });
  const choice = fc.record(
    {
      index: fc.oneof(fc.integer(), anyJson),
      delta: fc.oneof(fc.record({ content: fc.oneof(fc.string(), anyJson) }), fc.constant(null), anyJson),
      message: fc.oneof(fc.record({ tool_calls: anyJson }), fc.constant(null), anyJson),
      text: anyJson,
      finish_reason: fc.oneof(fc.constantFrom("stop", "length", null), anyJson),
    },
    { requiredKeys: [] },
  );
  const chunkLike = fc.record(
    {
      id: anyJson,
      choices: fc.oneof(fc.array(choice, { maxLength: 3 }), fc.constant(null), anyJson),
      usage: fc.oneof(
        fc.record(
          { prompt_tokens: fc.oneof(fc.nat(), anyJson), completion_tokens: fc.oneof(fc.nat(), anyJson) },
          { requiredKeys: [] },
        ),
        fc.constant(null),
        anyJson,
      ),
      error: anyJson,
    },
    { requiredKeys: [] },
  );

  it("agrees with the openAiChunk schema on every value", () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fc.oneof(chunkLike, anyJson), (value) => {
        const accepted = openAiChunk.safeParse(value).success;
        expect(isOpenAiChunk(value)).toBe(accepted);
        seen[accepted ? "accepted" : "refused"]++;
      }),
      { numRuns: 2000 },
    );
    // Both answers were put to the test, not only one of them.
    expect(seen.accepted).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(100);
  });
});
