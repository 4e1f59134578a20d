import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { putFixtures } from "../test/fixtures";
import type { InferenceEnv } from "./env";
import { InferenceService } from "./inference-service";

// The entrypoint the gateway's INFERENCE binding names, called as RPC calls it: `predict` on an instance with the
// worker's bindings. (Through a real binding, structured clone and all: the gateway's *.with-inference tests.)
const service = () => new InferenceService(createExecutionContext(), env as unknown as InferenceEnv);

const linear = {
  key: "main.default.linear/1",
  artifactPrefix: "rpc/linear/1/",
  flavor: "onnx" as const,
  flavorConfig: { data: "model.onnx" },
};

beforeAll(async () => {
  await putFixtures("rpc/linear/1/", { "model.onnx": "onnx/linear/model.onnx" });
  await env.ARTIFACTS.put("rpc/broken/1/model.onnx", "these bytes are not an ONNX model: secret-weights");
});

describe("InferenceService.predict (RPC)", () => {
  it("answers the predictions as a value, as the HTTP route would", async () => {
    const outcome = await service().predict({ model: linear, input: { kind: "tensor", value: [[1, 1, 1, 1]] } });
    expect(outcome).toEqual({ predictions: [10.5] });
  });

  it("answers bad input and unknown models as Databricks-style error values with their status", async () => {
    expect(await service().predict({ model: linear, input: { kind: "tensor", value: [[1, 2]] } })).toMatchObject({
      error: { error_code: "BAD_REQUEST" },
      status: 400,
    });
    const gone = { ...linear, key: "gone/1", artifactPrefix: "rpc/gone/1/" };
    expect(await service().predict({ model: gone, input: { kind: "tensor", value: [[1, 2, 3, 4]] } })).toMatchObject({
      error: { error_code: "RESOURCE_DOES_NOT_EXIST" },
      status: 404,
    });
    expect(await service().predict({ model: { ...linear, flavor: "sklearn" }, input: {} })).toEqual({
      error: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/^Invalid 'model\.flavor'/) },
      status: 400,
    });
  });

  it("answers a model file ONNX Runtime cannot load as the model's fault, not the worker's", async () => {
    const broken = { ...linear, key: "broken/1", artifactPrefix: "rpc/broken/1/" };
    const outcome = await service().predict({ model: broken, input: { kind: "tensor", value: [[1, 2, 3, 4]] } });
    expect(outcome).toMatchObject({ error: { error_code: "INVALID_STATE" }, status: 400 });
    expect(JSON.stringify(outcome)).not.toContain("secret-weights");
  });

  it("answers an unexpected failure as a generic 500 and logs only its message", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const failingBucket = {
      get: () => Promise.reject(new Error("R2 is unreachable")),
      head: () => Promise.reject(new Error("R2 is unreachable")),
    };
    const failing = new InferenceService(createExecutionContext(), {
      ...(env as unknown as InferenceEnv),
      ARTIFACTS: failingBucket as unknown as R2Bucket,
    });
    const unloaded = { ...linear, key: "unloaded/1", artifactPrefix: "rpc/unloaded/1/" };
    const outcome = await failing.predict({ model: unloaded, input: { kind: "tensor", value: [[1, 2, 3, 4]] } });
    expect(outcome).toEqual({
      error: { error_code: "INTERNAL_ERROR", message: "Inference failed inside the worker." },
      status: 500,
    });
    expect(logged).toHaveBeenCalledWith("inference: predict failed: R2 is unreachable");
    logged.mockRestore();
  });
});
