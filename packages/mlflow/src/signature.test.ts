import { describe, expect, it } from "vitest";
import {
  SignatureError,
  describeSchema,
  formatShape,
  parseParamSchema,
  parseSchema,
  parseSignature,
} from "./signature";

describe("parseSchema", () => {
  it("reads named column specs with optional columns", () => {
    const schema = parseSchema(
      '[{"type": "double", "name": "x", "required": true}, {"type": "string", "name": "note", "required": false}]',
    );
    expect(schema).toEqual({
      kind: "columns",
      columns: [
        { name: "x", type: { kind: "scalar", type: "double" }, required: true },
        { name: "note", type: { kind: "scalar", type: "string" }, required: false },
      ],
    });
    expect(describeSchema(schema)).toBe("['x': double (required), 'note': string (optional)]");
  });

  it("reads array, object and map column types", () => {
    const schema = parseSchema([
      { type: "array", items: { type: "long" }, name: "ids" },
      { type: "object", properties: { a: { type: "string" }, b: { type: "double", required: false } }, name: "o" },
      { type: "map", values: { type: "boolean" }, name: "flags" },
    ]);
    expect(schema.kind === "columns" && schema.columns.map((c) => c.type.kind)).toEqual(["array", "object", "map"]);
    expect(describeSchema(schema)).toContain("'ids': Array(long) (required)");
  });

  it("reads tensor specs", () => {
    const schema = parseSchema('[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]');
    expect(schema).toEqual({ kind: "tensors", tensors: [{ dtype: "float32", shape: [-1, 4] }] });
    expect(describeSchema(schema)).toBe("[Tensor('float32', (-1, 4))]");
  });

  it.each([
    ["not json", /not valid JSON/],
    ["[]", /declares no inputs/],
    [
      '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}, {"type": "long"}]',
      /mixes tensor and column/,
    ],
    ['[{"type": "decimal", "name": "x"}]', /unsupported type "decimal"/],
    ['[{"type": "long", "name": "a"}, {"type": "long"}]', /every input is named or none/],
    ['[{"type": "tensor", "tensor-spec": {"dtype": "int64"}}]', /integer shape/],
  ])("rejects %s", (json, message) => {
    expect(() => parseSchema(json)).toThrow(SignatureError);
    expect(() => parseSchema(json)).toThrow(message);
  });
});

describe("parseParamSchema", () => {
  it("reads scalars and lists with defaults", () => {
    expect(
      parseParamSchema(
        '[{"name": "k", "type": "long", "default": 3, "shape": null}, ' +
          '{"name": "stop", "type": "string", "default": ["."], "shape": [-1]}]',
      ),
    ).toEqual([
      { name: "k", type: "long", default: 3, shape: null },
      { name: "stop", type: "string", default: ["."], shape: [-1] },
    ]);
  });
  it("rejects a param without a name or with an unknown type", () => {
    expect(() => parseParamSchema('[{"type": "long"}]')).toThrow(/needs a name/);
    expect(() => parseParamSchema('[{"name": "k", "type": "tensor"}]')).toThrow(/unsupported type/);
  });
});

describe("parseSignature", () => {
  it("parses each present section", () => {
    const sig = parseSignature({ inputs: '[{"type": "long", "name": "a"}]', outputs: '[{"type": "double"}]' });
    expect(sig.inputs?.kind).toBe("columns");
    expect(sig.outputs?.kind).toBe("columns");
    expect(sig.params).toBeUndefined();
  });
  it("formats shapes like Python tuples", () => {
    expect(formatShape([-1])).toBe("(-1,)");
    expect(formatShape([-1, 3])).toBe("(-1, 3)");
  });
});
