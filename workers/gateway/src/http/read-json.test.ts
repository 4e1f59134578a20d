import { describe, expect, it } from "vitest";
import { parseJsonObject } from "./read-json";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("parseJsonObject", () => {
  it("treats an empty body as {}", () => {
    expect(parseJsonObject(new Uint8Array())).toEqual({});
    expect(parseJsonObject(bytes("  "))).toEqual({});
  });
  it.each(["{", "[1]", "null", "3", '"x"'])("refuses %s as MALFORMED_REQUEST", (text) => {
    expect(() => parseJsonObject(bytes(text))).toThrow(/Malformed request/);
  });
  it("refuses invalid UTF-8", () => {
    expect(() => parseJsonObject(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(/UTF-8/);
  });
});
