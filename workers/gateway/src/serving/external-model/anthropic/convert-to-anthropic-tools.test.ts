import { describe, expect, it } from "vitest";
import { convertToAnthropicTools } from "./convert-to-anthropic-tools";

const weather = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("convertToAnthropicTools", () => {
  it("maps function tools to name/description/input_schema", () => {
    expect(convertToAnthropicTools({ tools: [weather, { type: "function", function: { name: "now" } }] })).toEqual({
      tools: [
        { name: "get_weather", description: "Weather of a city", input_schema: weather.function.parameters },
        { name: "now", input_schema: { type: "object", properties: {} } },
      ],
    });
  });

  it("maps tool_choice auto/required/function/none and parallel_tool_calls", () => {
    expect(convertToAnthropicTools({ tools: [weather], tool_choice: "auto" }).tool_choice).toEqual({ type: "auto" });
    expect(convertToAnthropicTools({ tools: [weather], tool_choice: "required" }).tool_choice).toEqual({ type: "any" });
    expect(convertToAnthropicTools({ tools: [weather], tool_choice: "none" }).tool_choice).toEqual({ type: "none" });
    expect(
      convertToAnthropicTools({
        tools: [weather],
        tool_choice: { type: "function", function: { name: "get_weather" } },
      }).tool_choice,
    ).toEqual({ type: "tool", name: "get_weather" });
    expect(convertToAnthropicTools({ tools: [weather], parallel_tool_calls: false }).tool_choice).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(
      convertToAnthropicTools({ tools: [weather], tool_choice: "required", parallel_tool_calls: false }).tool_choice,
    ).toEqual({ type: "any", disable_parallel_tool_use: true });
  });

  it("answers 400 for a tool_choice that cannot be honoured", () => {
    expect(() => convertToAnthropicTools({ tool_choice: "required" })).toThrow(/no tools/);
    expect(() =>
      convertToAnthropicTools({ tools: [weather], tool_choice: { type: "function", function: { name: "other" } } }),
    ).toThrow(/not one of the tools/);
  });
});
