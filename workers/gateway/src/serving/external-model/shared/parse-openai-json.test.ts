import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openAiAnswer, openAiChunk, openAiEmbeddings } from "./openai-answer-schema";
import {
  isOpenAiAnswer,
  isOpenAiChunk,
  isOpenAiEmbeddings,
  parseOpenAiAnswer,
  parseOpenAiChunk,
  parseOpenAiEmbeddings,
} from "./parse-openai-json";

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

  /** Puts `check` and `schema` to 2 000 values; both verdicts must come up, not only one of them. */
  function agreeOn(values: fc.Arbitrary<unknown>, check: (v: unknown) => boolean, schema: typeof openAiChunk) {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(values, (value) => {
        const accepted = schema.safeParse(value).success;
        expect(check(value)).toBe(accepted);
        seen[accepted ? "accepted" : "refused"]++;
      }),
      { numRuns: 2000 },
    );
    expect(seen.accepted).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(100);
  }

  it("agrees with the openAiChunk schema on every value", () => {
    agreeOn(fc.oneof(chunkLike, anyJson), isOpenAiChunk, openAiChunk);
  });

  it("isOpenAiAnswer agrees with the openAiAnswer schema on every value", () => {
    const answerLike = fc.record({ choices: fc.array(choice, { maxLength: 3 }), usage: anyJson });
    agreeOn(fc.oneof(chunkLike, answerLike, anyJson), isOpenAiAnswer, openAiAnswer as unknown as typeof openAiChunk);
  });

  it("isOpenAiEmbeddings agrees with the openAiEmbeddings schema on every value", () => {
    const item = fc.record(
      {
        embedding: fc.oneof(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })), fc.string(), anyJson),
        index: anyJson,
      },
      { requiredKeys: [] },
    );
    const embeddingsLike = fc.record(
      {
        object: anyJson,
        data: fc.oneof(fc.array(item, { maxLength: 3 }), anyJson),
        usage: fc.oneof(fc.record({ prompt_tokens: fc.oneof(fc.nat(), anyJson) }, { requiredKeys: [] }), anyJson),
      },
      { requiredKeys: [] },
    );
    agreeOn(fc.oneof(embeddingsLike, anyJson), isOpenAiEmbeddings, openAiEmbeddings as unknown as typeof openAiChunk);
  });
});

describe("parseOpenAiAnswer and parseOpenAiEmbeddings", () => {
  const answer = {
    id: "chatcmpl-1",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
  };
  const embeddings = { object: "list", data: [{ index: 0, embedding: [0.5, -1, 2e-3] }], usage: { prompt_tokens: 2 } };

  it("pass a valid answer as it was parsed, extra fields included", () => {
    expect(parseOpenAiAnswer(JSON.stringify(answer), "openai")).toEqual(answer);
    expect(parseOpenAiEmbeddings(JSON.stringify(embeddings), "openai")).toEqual(embeddings);
    const base64 = { ...embeddings, data: [{ index: 0, embedding: "AAAAPw==" }] };
    expect(parseOpenAiEmbeddings(JSON.stringify(base64), "openai")).toEqual(base64);
  });

  it("refuse a changed field with the schema's 502 naming the provider and the field", () => {
    const refused = (parse: () => unknown) => {
      try {
        parse();
      } catch (error) {
        return error as { status: number; message: string };
      }
      throw new Error("accepted");
    };
    expect(refused(() => parseOpenAiAnswer(JSON.stringify({ ...answer, choices: undefined }), "openai"))).toEqual(
      expect.objectContaining({
        status: 502,
        message:
          "The provider 'openai' sent a response this gateway cannot read: 'choices' is missing (expected array).",
      }),
    );
    const stringly = { ...embeddings, data: [{ embedding: [0.5, "1"] }] };
    expect(refused(() => parseOpenAiEmbeddings(JSON.stringify(stringly), "openai")).message).toBe(
      "The provider 'openai' sent an embeddings response this gateway cannot read: " +
        "'data[0].embedding' has none of the expected shapes.",
    );
    expect(refused(() => parseOpenAiAnswer("<html>", "openai")).message).toBe(
      "The provider 'openai' sent a response this gateway cannot read: it is not JSON (\"<html>\").",
    );
  });
});
