import { errors } from "@edgeserve/api/errors";
import type { PredictRequest } from "@edgeserve/mlflow/inference-protocol";
import { z } from "zod";

/**
 * PredictRequest as the gateway sends it; checked here too, whether it came as JSON or over RPC, since a
 * bad request must be a 400, not crash the worker.
 */
const predictRequestSchema = z.object({
  model: z.object({
    key: z.string().min(1),
    artifactPrefix: z.string().min(1),
    flavor: z.enum(["onnx", "transformers"]),
    flavorConfig: z.record(z.string(), z.unknown()),
  }),
  input: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("dataframe"), columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) }),
    z.object({ kind: z.literal("tensor"), value: z.array(z.unknown()) }),
    z.object({ kind: z.literal("tensors"), values: z.record(z.string(), z.array(z.unknown())) }),
  ]),
  params: z.record(z.string(), z.unknown()).optional(),
});

/** `body` as a PredictRequest, or 400 INVALID_PARAMETER_VALUE naming the first wrong field. */
export function parsePredictRequest(body: unknown): PredictRequest {
  const parsed = predictRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw errors.invalid(`Invalid '${issue.path.join(".") || "body"}': ${issue.message}`);
  }
  return parsed.data as PredictRequest;
}

/** A PredictRequest POSTed as JSON; 400 MALFORMED_REQUEST when the body is not JSON. */
export async function readPredictRequest(request: Request): Promise<PredictRequest> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw errors.malformed("The request body is not valid JSON.");
  }
  return parsePredictRequest(body);
}
