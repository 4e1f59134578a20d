import { z } from "zod";
import { describe, expect, it } from "vitest";
import { parseOrThrow } from "./validation";

const schema = z.strictObject({ name: z.string(), nested: z.object({ url: z.string() }).optional() });

describe("parseOrThrow", () => {
  it("tells a missing field from a wrong type, naming the path", () => {
    expect(() => parseOrThrow(schema, {})).toThrow("Missing required field 'name'.");
    expect(() => parseOrThrow(schema, { name: 1 })).toThrow(/^Invalid value for 'name': .*expected string/);
    expect(() => parseOrThrow(schema, { name: "a", nested: { url: 42 } })).toThrow(/^Invalid value for 'nested\.url'/);
  });
  it("names unknown fields", () => {
    expect(() => parseOrThrow(schema, { name: "a", colour: "red" })).toThrow(
      "Unknown field 'colour': not supported on Edgeserve; leave it out.",
    );
  });
});
