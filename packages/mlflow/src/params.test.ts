import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { enforceParams } from "./params";
import { parseParamSchema } from "./signature";

const schema = parseParamSchema([
  { name: "temperature", type: "double", default: 0.7, shape: null },
  { name: "max_tokens", type: "long", default: 16, shape: null },
  { name: "stop", type: "string", default: null, shape: [-1] },
]);

describe("enforceParams", () => {
  it("fills defaults, keeps valid values, drops undeclared params, converts int → double", () => {
    expect(enforceParams({ temperature: 1, stop: ["\n"], unknown: true }, schema)).toEqual({
      temperature: 1,
      max_tokens: 16,
      stop: ["\n"],
    });
    expect(enforceParams(undefined, schema)).toEqual({ temperature: 0.7, max_tokens: 16, stop: null });
  });
  it("ignores params when the model declares none, as MLflow does", () => {
    expect(enforceParams({ k: 1 }, undefined)).toBeUndefined();
  });
  it.each([
    [
      { max_tokens: 1.5 },
      "Failed to validate type and shape for 'max_tokens', error: " +
        "Failed to convert value `1.5` from type `float` to `long`",
    ],
    [{ temperature: "hot" }, 'Failed to convert value `"hot"` from type `str` to `double`'],
    [{ stop: "\n" }, "Value must be a 1D array with shape (-1,) for param 'stop': string"],
    [{ temperature: [1] }, "Value should be a scalar for param 'temperature': double (default: 0.7), received list"],
    [{ stop: ["a", 1] }, "Failed to convert value `1` from type `int` to `string`"],
  ])("refuses %j naming the param and type", (params, message) => {
    let error: unknown;
    try {
      enforceParams(params, schema);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toContain(message);
  });
});
