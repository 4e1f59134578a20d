import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { pickFlavor } from "./pick-flavor";
import { stringColumnsOf } from "./string-columns";
import { parseSchema } from "@edgeserve/mlflow";

describe("pickFlavor", () => {
  it("prefers onnx, then transformers, and hands on the flavor's config", () => {
    expect(pickFlavor({ flavors: { transformers: { task: "t" }, onnx: { data: "m.onnx" } } }, "m")).toEqual({
      flavor: "onnx",
      flavorConfig: { data: "m.onnx" },
    });
    const transformers = { task: "feature-extraction", edgeserve_dtype: "q8" };
    expect(pickFlavor({ flavors: { python_function: {}, transformers } }, "m")).toEqual({
      flavor: "transformers",
      flavorConfig: transformers,
    });
  });
  it("refuses a transformers flavor the worker cannot run, saying why", () => {
    expect(() => pickFlavor({ flavors: { transformers: { task: "text-generation" } } }, "'m' version 1")).toThrow(
      "Model 'm' version 1 cannot run with its transformers flavor: Task 'text-generation' is not served " +
        "in-worker; supported: feature-extraction, text-classification, token-classification.",
    );
    expect(() =>
      pickFlavor(
        { flavors: { transformers: { task: "feature-extraction", edgeserve_dtype: "int2" } } },
        "'m' version 1",
      ),
    ).toThrow(/transformers flavor is invalid at 'edgeserve_dtype'/);
  });
  it("refuses other flavors with 501 naming them", () => {
    let error: unknown;
    try {
      pickFlavor({ flavors: { sklearn: {}, python_function: {} } }, "'m' version 2");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(501);
    expect((error as ApiError).message).toBe(
      "Model 'm' version 2 has flavors [sklearn, python_function]; " +
        "this gateway serves only onnx and transformers models.",
    );
  });
});

describe("stringColumnsOf", () => {
  it("lists the named string columns of a column signature only", () => {
    expect(
      stringColumnsOf(
        parseSchema([
          { type: "string", name: "zip" },
          { type: "long", name: "n" },
        ]),
      ),
    ).toEqual(new Set(["zip"]));
    expect(stringColumnsOf(parseSchema([{ type: "tensor", "tensor-spec": { dtype: "str", shape: [-1] } }]))).toEqual(
      new Set(),
    );
    expect(stringColumnsOf(undefined)).toEqual(new Set());
  });
});
