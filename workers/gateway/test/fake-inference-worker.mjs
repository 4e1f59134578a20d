// A stand-in for the inference worker's InferenceService entrypoint (service binding INFERENCE) in the
// gateway's workerd tests, run as a Miniflare auxiliary worker (plain JS: auxiliary workers are not bundled).
// `predict()` (RPC) validates each PredictRequest against the contract, records it, and predicts something
// checkable (the sum of each row's numbers); `failing-model/*` answers a model error, `crashing-model/*`
// throws (the worker failing). Over HTTP: `GET /_test/calls` returns the recorded requests, `DELETE
// /_test/calls` clears them, and `GET /v1/limits` answers as a worker with `EDGESERVE_INFERENCE_CACHE_MB = "1"`.
import { WorkerEntrypoint } from "cloudflare:workers";

const calls = [];
const FAKE_MODEL_MEMORY_BYTES = 1024 * 1024;

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

const sum = (value) =>
  Array.isArray(value) ? value.reduce((a, v) => a + sum(v), 0) : typeof value === "number" ? value : 0;

function contractProblem(body) {
  if (!isObject(body) || !isObject(body.model) || !isObject(body.input)) return "body must be {model, input, params?}";
  const { model, input } = body;
  if (typeof model.key !== "string" || typeof model.artifactPrefix !== "string" || !model.artifactPrefix.endsWith("/"))
    return "model.key/artifactPrefix";
  if (model.flavor !== "onnx" && model.flavor !== "transformers") return "model.flavor";
  if (!isObject(model.flavorConfig)) return "model.flavorConfig";
  if (body.params !== undefined && !isObject(body.params)) return "params";
  if (input.kind === "dataframe")
    return Array.isArray(input.columns) && Array.isArray(input.rows) ? null : "dataframe input";
  if (input.kind === "tensor") return Array.isArray(input.value) ? null : "tensor input";
  if (input.kind === "tensors")
    return isObject(input.values) && Object.values(input.values).every(Array.isArray) ? null : "tensors input";
  return "input.kind";
}

function predictions(input) {
  if (input.kind === "dataframe") return input.rows.map(sum);
  if (input.kind === "tensor") return input.value.map(sum);
  const columns = Object.values(input.values);
  return columns[0].map((_, i) => sum(columns.map((v) => v[i])));
}

export class InferenceService extends WorkerEntrypoint {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/_test/calls") {
      if (request.method === "DELETE") calls.length = 0;
      return Response.json(calls);
    }
    if (request.method === "GET" && url.pathname === "/v1/limits")
      return Response.json({ modelMemoryBytes: FAKE_MODEL_MEMORY_BYTES });
    return Response.json({ error_code: "NOT_FOUND", message: url.pathname }, { status: 404 });
  }

  async predict(request) {
    const problem = contractProblem(request);
    if (problem)
      return {
        error: { error_code: "INVALID_PARAMETER_VALUE", message: `fake inference: bad PredictRequest (${problem})` },
        status: 400,
      };
    calls.push(request);
    if (request.model.key.startsWith("failing-model/"))
      return {
        error: { error_code: "BAD_REQUEST", message: "Encountered an unexpected error while evaluating the model." },
        status: 400,
      };
    if (request.model.key.startsWith("crashing-model/")) throw new Error("worker exploded");
    return { predictions: predictions(request.input) };
  }
}

export default { fetch: (request, env, ctx) => new InferenceService(ctx, env).fetch(request) };
