import { describe, expect, it } from "vitest";
import { convertToGeminiTools } from "./convert-to-gemini-tools";

const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather of a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
        additionalProperties: false,
      },
    },
  },
  { type: "function", function: { name: "now", parameters: { type: "object", properties: {} } } },
];

describe("convertToGeminiTools", () => {
  it("declares functions with Gemini schemas", () => {
    expect(convertToGeminiTools(tools, undefined, "p")).toEqual({
      tools: [
        {
          functionDeclarations: [
            {
              name: "get_weather",
              description: "Weather of a city",
              parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
            },
            { name: "now" },
          ],
        },
      ],
    });
  });

  it("maps tool_choice to functionCallingConfig", () => {
    expect(convertToGeminiTools(tools, "auto", "p").toolConfig).toEqual({ functionCallingConfig: { mode: "AUTO" } });
    expect(convertToGeminiTools(tools, "none", "p").toolConfig).toEqual({ functionCallingConfig: { mode: "NONE" } });
    expect(convertToGeminiTools(tools, "required", "p").toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(convertToGeminiTools(tools, { type: "function", function: { name: "now" } }, "p").toolConfig).toEqual({
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["now"] },
    });
  });

  it("rejects a tool_choice naming no tool, and tool_choice without tools", () => {
    expect(() => convertToGeminiTools(tools, { type: "function", function: { name: "nope" } }, "p")).toThrow(
      /tool_choice/,
    );
    expect(() => convertToGeminiTools(undefined, "required", "p")).toThrow(/tool_choice needs tools/);
    expect(convertToGeminiTools(undefined, "auto", "p")).toEqual({});
  });
});
