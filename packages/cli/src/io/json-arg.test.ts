import { describe, expect, it } from "vitest";
import { UsageError } from "../exit-codes";
import { parseJsonArg } from "./json-arg";

const files: Record<string, string> = { "/work/ep.json": '{"name": "ep"}', "/work/list.json": "[1]" };
const read = (f: string) => files[f];

describe("parseJsonArg", () => {
  it("parses inline JSON and @file relative to the working directory", () => {
    expect(parseJsonArg('{"a": 1}', "/work", read)).toEqual({ a: 1 });
    expect(parseJsonArg("@ep.json", "/work", read)).toEqual({ name: "ep" });
    expect(parseJsonArg("@/work/ep.json", "/elsewhere", read)).toEqual({ name: "ep" });
  });

  it("refuses a missing file, invalid JSON and non-objects as usage errors naming the source", () => {
    expect(() => parseJsonArg("@nope.json", "/work", read)).toThrow(/no such file \/work\/nope.json/);
    expect(() => parseJsonArg("{name: 1}", "/work", read)).toThrow(/--json is not valid JSON/);
    expect(() => parseJsonArg("@list.json", "/work", read)).toThrow(/--json @list.json must be a JSON object/);
    expect(() => parseJsonArg("null", "/work", read)).toThrow(UsageError);
  });
});
