/**
 * A stand-in for the inference worker (service binding INFERENCE) in the workerd tests, run by
 * miniflare in Node: it validates each PredictRequest against the contract, records it, and
 * predicts something checkable (the sum of each row's numbers). `GET /_test/calls` returns the
 * recorded requests, `DELETE /_test/calls` clears them. The real worker is tested end to end after merge.
 * `GET /v1/limits` answers as a worker with `EDGESERVE_INFERENCE_CACHE_MB = "1"` would.
 */
const calls: unknown[] = [];
const FAKE_MODEL_MEMORY_BYTES = 1024 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const sum = (value: unknown): number =>
  Array.isArray(value) ? value.reduce((a: number, v) => a + sum(v), 0) : typeof value === "number" ? value : 0;

function contractProblem(body: unknown): string | null {
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

export async function fakeInferenceWorker(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/_test/calls") {
    if (request.method === "DELETE") calls.length = 0;
    return Response.json(calls);
  }
  if (request.method === "GET" && url.pathname === "/v1/limits")
    return Response.json({ modelMemoryBytes: FAKE_MODEL_MEMORY_BYTES });
  if (request.method !== "POST" || url.pathname !== "/v1/predict")
    return Response.json({ error_code: "NOT_FOUND", message: url.pathname }, { status: 404 });
  const body = (await request.json()) as Record<string, any>;
  const problem = contractProblem(body);
  if (problem)
    return Response.json(
      { error_code: "INVALID_PARAMETER_VALUE", message: `fake inference: bad PredictRequest (${problem})` },
      { status: 400 },
    );
  calls.push(body);
  if (body.model.key.startsWith("failing-model/"))
    return Response.json(
      { error_code: "BAD_REQUEST", message: "Encountered an unexpected error while evaluating the model." },
      { status: 400 },
    );
  if (body.model.key.startsWith("crashing-model/")) return new Response("worker exploded", { status: 500 });
  const input = body.input;
  const predictions =
    input.kind === "dataframe"
      ? input.rows.map(sum)
      : input.kind === "tensor"
        ? input.value.map(sum)
        : Object.values(input.values as Record<string, unknown[]>)[0]!.map((_, i) =>
            sum(Object.values(input.values as Record<string, unknown[]>).map((v) => v[i])),
          );
  return Response.json({ predictions });
}
