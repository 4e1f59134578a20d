import { describe, expect, it } from "vitest";
import { convertToAi21Tools } from "./convert-to-ai21-tools";

const weather = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("convertToAi21Tools", () => {
  it("passes function tools for auto (AI21's only behaviour)", () => {
    expect(convertToAi21Tools([weather], undefined)).toEqual([weather]);
    expect(convertToAi21Tools([weather], "auto")).toEqual([weather]);
  });
  it("sends no tools for tool_choice none", () => {
    expect(convertToAi21Tools([weather], "none")).toBeUndefined();
    expect(convertToAi21Tools(undefined, undefined)).toBeUndefined();
  });
  it("rejects forcing a tool call, which AI21 cannot do", () => {
    expect(() => convertToAi21Tools([weather], "required")).toThrow(/does not support tool_choice/);
    expect(() => convertToAi21Tools([weather], { type: "function", function: { name: "get_weather" } })).toThrow(
      /does not support tool_choice/,
    );
  });
  it("rejects strict schemas", () => {
    expect(() =>
      convertToAi21Tools([{ ...weather, function: { ...weather.function, strict: true } }], undefined),
    ).toThrow(/strict/);
  });
});
