import { describe, expect, it } from "vitest";
import { convertToCohereTools } from "./convert-to-cohere-tools";

const tools = [
  {
    type: "function",
    function: {
      name: "weather",
      description: "Weather of a city",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  },
  { type: "function", function: { name: "now" } },
];

describe("convertToCohereTools", () => {
  it("keeps function tools and maps auto/none/required", () => {
    expect(convertToCohereTools(tools, "auto")).toEqual({
      tools: [
        {
          type: "function",
          function: {
            name: "weather",
            description: "Weather of a city",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
        { type: "function", function: { name: "now" } },
      ],
    });
    expect(convertToCohereTools(tools, "none").tool_choice).toBe("NONE");
    expect(convertToCohereTools(tools, "required").tool_choice).toBe("REQUIRED");
    expect(convertToCohereTools(undefined, undefined)).toEqual({});
  });

  it("serves a named function by offering only that tool, required", () => {
    const out = convertToCohereTools(tools, { type: "function", function: { name: "now" } });
    expect(out).toEqual({ tools: [{ type: "function", function: { name: "now" } }], tool_choice: "REQUIRED" });
  });

  it("sets strict_tools when a tool is strict, and rejects impossible choices", () => {
    expect(
      convertToCohereTools([{ type: "function", function: { name: "f", strict: true } }], undefined).strict_tools,
    ).toBe(true);
    expect(() => convertToCohereTools([], "required")).toThrow(/at least one tool/);
    expect(() => convertToCohereTools(tools, { type: "function", function: { name: "nope" } })).toThrow(
      /not in 'tools'/,
    );
  });
});
