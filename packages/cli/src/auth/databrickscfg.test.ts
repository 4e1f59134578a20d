import { describe, expect, it } from "vitest";
import { parseDatabricksCfg } from "./databrickscfg";

describe("parseDatabricksCfg", () => {
  it("reads sections and keys, trimming spaces and skipping comments", () => {
    const text = [
      "; written by databricks configure",
      "[DEFAULT]",
      "host  = https://default.example",
      "token = dapi-default",
      "",
      "# staging workspace",
      "[staging]",
      "host=https://staging.example/",
      "token = dapi=with=equals",
    ].join("\r\n");
    expect(parseDatabricksCfg(text)).toEqual({
      DEFAULT: { host: "https://default.example", token: "dapi-default" },
      staging: { host: "https://staging.example/", token: "dapi=with=equals" },
    });
  });

  it("puts keys before any section into DEFAULT, and ignores lines that are not key = value", () => {
    expect(parseDatabricksCfg("host = h\nnot a key\n[p]\ntoken = t")).toEqual({
      DEFAULT: { host: "h" },
      p: { token: "t" },
    });
  });
});
