import { describe, expect, it } from "vitest";
import { requestTexts, rewriteRequestTexts, textToJudge } from "./request-text";

const upper = (s: string) => s.toUpperCase();

describe("rewriteRequestTexts", () => {
  it.each([
    [
      "chat with string content",
      {
        messages: [
          { role: "system", content: "be nice" },
          { role: "user", content: "hi" },
        ],
        max_tokens: 5,
      },
      {
        messages: [
          { role: "system", content: "BE NICE" },
          { role: "user", content: "HI" },
        ],
        max_tokens: 5,
      },
    ],
    [
      "chat with content parts",
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "image_url", image_url: { url: "x" } },
            ],
          },
        ],
      },
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "A" },
              { type: "image_url", image_url: { url: "x" } },
            ],
          },
        ],
      },
    ],
    [
      "chat tool call without content",
      { messages: [{ role: "assistant", tool_calls: [] }] },
      { messages: [{ role: "assistant", tool_calls: [] }] },
    ],
    ["completions prompt", { prompt: "p", temperature: 0 }, { prompt: "P", temperature: 0 }],
    ["completions prompt list", { prompt: ["a", "b"] }, { prompt: ["A", "B"] }],
    ["embeddings input", { input: ["x", 3] }, { input: ["X", 3] }],
    [
      "custom model body",
      { dataframe_split: { columns: ["a"], data: [["x"]] } },
      { dataframe_split: { columns: ["a"], data: [["x"]] } },
    ],
  ])("%s", (_name, body, expected) => {
    expect(rewriteRequestTexts(body as Record<string, unknown>, upper)).toEqual(expected);
  });

  it("does not change the original body", () => {
    const body = { messages: [{ role: "user", content: "hi" }] };
    rewriteRequestTexts(body, upper);
    expect(body.messages[0]!.content).toBe("hi");
  });
});

describe("requestTexts", () => {
  it("lists texts in order", () => {
    expect(
      requestTexts({
        messages: [
          { role: "system", content: "s" },
          { role: "user", content: [{ type: "text", text: "u" }] },
        ],
      }),
    ).toEqual(["s", "u"]);
    expect(requestTexts({ prompt: "p" })).toEqual(["p"]);
    expect(requestTexts({ inputs: { a: 1 } })).toEqual([]);
  });
});

describe("textToJudge", () => {
  it.each([
    [
      "chat: the latest user message",
      {
        messages: [
          { role: "system", content: "long rules" },
          { role: "user", content: "first" },
          { role: "assistant", content: "a" },
          { role: "user", content: [{ type: "text", text: "second" }] },
        ],
      },
      "second",
    ],
    ["chat without a user message", { messages: [{ role: "system", content: "s" }] }, ""],
    ["completions", { prompt: ["a", "b"] }, "a\nb"],
    ["embeddings", { input: "x" }, "x"],
  ])("%s", (_name, body, expected) => {
    expect(textToJudge(body)).toBe(expected);
  });
});
