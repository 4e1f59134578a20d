import { describe, expect, it } from "vitest";
import { convertJsonSchemaToGeminiSchema, convertToolParameters } from "./convert-json-schema-to-gemini-schema";

describe("convertJsonSchemaToGeminiSchema", () => {
  it("keeps Gemini's keywords and drops the ones its Schema lacks", () => {
    // What zod-to-json-schema (ai SDK, LangChain) produces for a tool.
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: {
        city: { type: "string", description: "City name", minLength: 1 },
        unit: { type: "string", enum: ["c", "f"] },
        days: { type: ["integer", "null"], minimum: 1, multipleOf: 1 },
        tags: { type: "array", items: { type: "string" } },
        mode: { const: "fast" },
        when: { type: "string", format: "date-time" },
        email: { type: "string", format: "email" },
      },
      required: ["city"],
      additionalProperties: false,
    };
    expect(convertJsonSchemaToGeminiSchema(schema, "p")).toEqual({
      type: "object",
      properties: {
        city: { type: "string", description: "City name", minLength: 1 },
        unit: { type: "string", enum: ["c", "f"] },
        days: { type: "integer", nullable: true, minimum: 1 },
        tags: { type: "array", items: { type: "string" } },
        mode: { type: "string", enum: ["fast"] },
        when: { type: "string", format: "date-time" },
        email: { type: "string" },
      },
      required: ["city"],
    });
  });

  it("turns oneOf into anyOf and a null alternative into nullable", () => {
    expect(convertJsonSchemaToGeminiSchema({ oneOf: [{ type: "string" }, { type: "number" }] }, "p")).toEqual({
      anyOf: [{ type: "string" }, { type: "number" }],
    });
    expect(convertJsonSchemaToGeminiSchema({ anyOf: [{ type: "string" }, { type: "null" }] }, "p")).toEqual({
      type: "string",
      nullable: true,
    });
  });

  it("rejects $ref with a 400", () => {
    expect(() => convertJsonSchemaToGeminiSchema({ $ref: "#/definitions/x" }, "palm")).toThrow(
      /palm does not support '\$ref'/,
    );
  });

  it("treats an object without properties as no parameters", () => {
    expect(
      convertToolParameters({ type: "object", properties: {}, additionalProperties: false }, "p", "x"),
    ).toBeUndefined();
    expect(convertToolParameters(undefined, "p", "x")).toBeUndefined();
  });
});
