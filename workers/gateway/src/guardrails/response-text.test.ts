import { describe, expect, it } from "vitest";
import { responseTexts, rewriteResponseTexts } from "./response-text";

const upper = (s: string) => s.toUpperCase();

describe("rewriteResponseTexts", () => {
  it.each([
    [
      "chat completion",
      {
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
        usage: { total_tokens: 1 },
      },
      {
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: "HI" }, finish_reason: "stop" }],
        usage: { total_tokens: 1 },
      },
    ],
    [
      "tool call answer (content null)",
      { choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [] } }] },
      { choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [] } }] },
    ],
    [
      "text completion",
      { object: "text_completion", choices: [{ index: 0, text: "ok" }] },
      { object: "text_completion", choices: [{ index: 0, text: "OK" }] },
    ],
    ["embeddings", { object: "list", data: [{ embedding: [1] }] }, { object: "list", data: [{ embedding: [1] }] }],
    ["not an object", "text", "text"],
  ])("%s", (_name, body, expected) => {
    expect(rewriteResponseTexts(body, upper)).toEqual(expected);
  });

  it("lists generated texts", () => {
    expect(responseTexts({ choices: [{ message: { content: "a" } }, { text: "b" }] })).toEqual(["a", "b"]);
  });
});
