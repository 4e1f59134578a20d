import { ApiError } from "@edgeserve/api";
import type { PredictOutcome, PredictRequest } from "@edgeserve/mlflow";
import { describe, expect, it } from "vitest";
import { callInference } from "./call-inference";

const request: PredictRequest = {
  model: { key: "m/1", artifactPrefix: "models/m/1/", flavor: "onnx", flavorConfig: {} },
  input: { kind: "tensor", value: [[1, 2]] },
};

const options = { timeoutMs: 5_000 };

/** An RPC stub double that checks it is sent the request as given (no copy through JSON), then answers as told. */
function worker(answer: () => PredictOutcome | Promise<PredictOutcome>) {
  return {
    predict: async (sent: PredictRequest) => {
      expect(sent).toBe(request);
      return answer();
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("expected an ApiError");
}

describe("callInference", () => {
  it("returns the worker's predictions", async () => {
    expect(
      await callInference(
        worker(() => ({ predictions: [3] })),
        request,
        options,
      ),
    ).toEqual({ predictions: [3] });
  });
  it("passes the worker's error through with its code and status", async () => {
    const error = await failure(
      callInference(
        worker(() => ({ error: { error_code: "BAD_REQUEST", message: "bad tensor" }, status: 400 })),
        request,
        options,
      ),
    );
    expect([error.code, error.status, error.message]).toEqual(["BAD_REQUEST", 400, "bad tensor"]);
  });
  it("turns anything else into 502 without echoing it, keeping the cause for the logs", async () => {
    const odd = { error: { error_code: "SECRET_CODE", message: "stack trace with secrets" }, status: 500 };
    const unknownCode = await failure(
      callInference(
        worker(() => odd as unknown as PredictOutcome),
        request,
        options,
      ),
    );
    expect([unknownCode.code, unknownCode.status]).toEqual(["BAD_GATEWAY", 502]);
    expect(unknownCode.message).not.toContain("secrets");
    expect(unknownCode.cause).toBe(odd);
    const noPredictions = await failure(
      callInference(
        worker(() => ({ outputs: [] }) as unknown as PredictOutcome),
        request,
        options,
      ),
    );
    expect(noPredictions.message).toContain("without predictions");
    const thrown = new Error("worker exploded: Memory limit exceeded");
    const crashed = await failure(
      callInference(
        worker(() => {
          throw thrown;
        }),
        request,
        options,
      ),
    );
    expect([crashed.code, crashed.status, crashed.message]).toEqual([
      "BAD_GATEWAY",
      502,
      "The inference worker failed to answer.",
    ]);
    expect(crashed.cause).toBe(thrown);
  });
  it("is 504 DEADLINE_EXCEEDED when the worker has not answered by the deadline", async () => {
    const silent = { predict: () => new Promise<PredictOutcome>(() => {}) };
    const started = Date.now();
    const late = await failure(callInference(silent, request, { timeoutMs: 50 }));
    expect([late.code, late.status]).toEqual(["DEADLINE_EXCEEDED", 504]);
    expect(late.message).toBe("The custom model did not answer within 0.05 s (EDGESERVE_UPSTREAM_TIMEOUT_S).");
    expect(Date.now() - started).toBeLessThan(2_000);
  });
  it("is 499 when the client goes away first", async () => {
    const client = new AbortController();
    const silent = { predict: () => new Promise<PredictOutcome>(() => {}) };
    const pending = failure(callInference(silent, request, { timeoutMs: 5_000, signal: client.signal }));
    client.abort();
    expect((await pending).status).toBe(499);
  });
  it("is 503 when the binding is missing", async () => {
    expect((await failure(callInference(undefined, request, options))).status).toBe(503);
  });
});
