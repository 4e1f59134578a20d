import { describe, expect, it } from "vitest";
import { readSafetyVerdict } from "./safety-verdict";

describe("readSafetyVerdict", () => {
  it.each([
    ["Llama Guard safe", { choices: [{ message: { content: "safe" } }] }, "safe"],
    ["Llama Guard unsafe with category", { choices: [{ message: { content: "\n\nunsafe\nS1" } }] }, "unsafe"],
    ["upper case", { choices: [{ message: { content: "UNSAFE" } }] }, "unsafe"],
    ["completions answer", { choices: [{ text: " unsafe" }] }, "unsafe"],
    ["'unsafety' is not a verdict word", { choices: [{ text: "unsafety" }] }, "safe"],
    ["classifier labels", { predictions: ["unsafe"] }, "unsafe"],
    ["classifier label objects", { predictions: [{ label: "safe", score: 0.9 }] }, "safe"],
    ["no verdict", { data: [] }, null],
    ["tool call only", { choices: [{ message: { content: null } }] }, null],
    ["not JSON object", "unsafe", null],
  ])("%s", (_name, answer, expected) => {
    expect(readSafetyVerdict(answer)).toBe(expected);
  });
});
