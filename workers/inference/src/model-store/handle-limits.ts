import type { InferenceLimits } from "@edgeserve/mlflow/inference-protocol";
import type { InferenceEnv } from "../env";
import { cacheBudgetBytes } from "./loaded-models";

/** GET /v1/limits: the memory budget the gateway's deployment checks a model's files against. */
export async function handleLimits(_request: Request, env: InferenceEnv): Promise<Response> {
  return Response.json({ modelMemoryBytes: cacheBudgetBytes(env) } satisfies InferenceLimits);
}
