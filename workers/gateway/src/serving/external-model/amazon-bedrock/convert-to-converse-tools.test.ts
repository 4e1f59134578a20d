import { describe, expect, it } from "vitest";
import { convertToConverseTools } from "./convert-to-converse-tools";

const tools = [
  {
    type: "function",
    function: {
      name: "top_song",
      description: "Most popular song",
      parameters: { type: "object", properties: { sign: { type: "string" } } },
    },
  },
];

describe("convertToConverseTools", () => {
  it("builds toolSpecs and maps tool_choice", () => {
    expect(convertToConverseTools(tools, undefined)).toEqual({
      tools: [
        {
          toolSpec: {
            name: "top_song",
            description: "Most popular song",
            inputSchema: { json: { type: "object", properties: { sign: { type: "string" } } } },
          },
        },
      ],
    });
    expect(convertToConverseTools(tools, "auto")?.toolChoice).toEqual({ auto: {} });
    expect(convertToConverseTools(tools, "required")?.toolChoice).toEqual({ any: {} });
    expect(convertToConverseTools(tools, { type: "function", function: { name: "top_song" } })?.toolChoice).toEqual({
      tool: { name: "top_song" },
    });
    expect(convertToConverseTools(tools, "none")).toBeUndefined();
    expect(
      convertToConverseTools([{ type: "function", function: { name: "now" } }], undefined)?.tools[0]?.toolSpec
        .inputSchema,
    ).toEqual({ json: { type: "object", properties: {} } });
  });

  it("rejects choices that cannot be served", () => {
    expect(() => convertToConverseTools(undefined, "required")).toThrow(/at least one tool/);
    expect(() => convertToConverseTools(tools, { type: "function", function: { name: "nope" } })).toThrow(
      /not in 'tools'/,
    );
  });
});
