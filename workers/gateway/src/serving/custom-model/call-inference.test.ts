import { ApiError } from "@edgeserve/api";
import type { PredictRequest } from "@edgeserve/mlflow";
import { describe, expect, it } from "vitest";
import { callInference } from "./call-inference";

const request: PredictRequest = {
  model: { key: "m/1", artifactPrefix: "models/m/1/", flavor: "onnx", flavorConfig: {} },
  input: { kind: "tensor", value: [[1, 2]] },
};

const options = { timeoutMs: 5_000 };

/** A Fetcher double that checks it is called the contract's way, then answers as told. */
function worker(answer: () => Response | Promise<Response>): Fetcher {
  return {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      expect(req.method).toBe("POST");
      expect(new URL(req.url).pathname).toBe("/v1/predict");
      expect(req.headers.get("content-type")).toBe("application/json");
      expect(await req.json()).toEqual(request);
      return answer();
    },
  } as unknown as Fetcher;
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
        worker(() => Response.json({ predictions: [3] })),
        request,
        options,
      ),
    ).toEqual({ predictions: [3] });
  });
  it("passes the worker's error body through with its status", async () => {
    const error = await failure(
      callInference(
        worker(() => Response.json({ error_code: "BAD_REQUEST", message: "bad tensor" }, { status: 400 })),
        request,
        options,
      ),
    );
    expect([error.code, error.status, error.message]).toEqual(["BAD_REQUEST", 400, "bad tensor"]);
  });
  it("turns anything else into 502 without echoing it", async () => {
    const crash = await failure(
      callInference(
        worker(() => new Response("stack trace with secrets", { status: 500 })),
        request,
        options,
      ),
    );
    expect([crash.code, crash.status]).toEqual(["BAD_GATEWAY", 502]);
    expect(crash.message).not.toContain("secrets");
    expect(crash.cause).toBe("The inference worker answered HTTP 500: stack trace with secrets");
    const noPredictions = await failure(
      callInference(
        worker(() => Response.json({ outputs: [] })),
        request,
        options,
      ),
    );
    expect(noPredictions.message).toContain("without predictions");
    const unreachable = await failure(
      callInference(
        {
          fetch: async () => {
            throw new Error("connection refused");
          },
        } as unknown as Fetcher,
        request,
        options,
      ),
    );
    expect(unreachable.code).toBe("BAD_GATEWAY");
    expect(unreachable.cause).toMatchObject({ message: "connection refused" });
  });
  it("is 504 DEADLINE_EXCEEDED when the worker has not answered by the deadline, and stops the call", async () => {
    let stopped = false;
    const silent = {
      fetch: (_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener("abort", () => {
            stopped = true;
            reject(init.signal?.reason);
          }),
        ),
    } as unknown as Fetcher;
    const late = await failure(callInference(silent, request, { timeoutMs: 50 }));
    expect([late.code, late.status]).toEqual(["DEADLINE_EXCEEDED", 504]);
    expect(late.message).toBe("The custom model did not answer within 0.05 s (EDGESERVE_UPSTREAM_TIMEOUT_S).");
    expect(stopped).toBe(true);
  });
  it("is 499 when the client goes away first", async () => {
    const client = new AbortController();
    const silent = {
      fetch: (_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
        ),
    } as unknown as Fetcher;
    const pending = failure(callInference(silent, request, { timeoutMs: 5_000, signal: client.signal }));
    client.abort();
    expect((await pending).status).toBe(499);
  });
  it("is 503 when the binding is missing", async () => {
    expect((await failure(callInference(undefined, request, options))).status).toBe(503);
  });
});
