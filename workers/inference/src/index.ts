import { ApiError } from "@edgeserve/api/errors";
import type { InferenceEnv } from "./env";
import { handleEmbeddings } from "./builtin-embeddings";
import { handleLimits } from "./model-store/handle-limits";
import { handlePredict } from "./predict/handle-predict";

type Handler = (request: Request, env: InferenceEnv) => Promise<Response>;

/** Routes (method and path), reached only through the gateway's INFERENCE service binding. */
const routes: Record<string, { method: "GET" | "POST"; handler: Handler }> = {
  "/v1/predict": { method: "POST", handler: handlePredict },
  "/v1/embeddings": { method: "POST", handler: handleEmbeddings },
  "/v1/limits": { method: "GET", handler: handleLimits },
};

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const route = routes[pathname];
    if (!route) return errorResponse(new ApiError("ENDPOINT_NOT_FOUND", `No route ${pathname}.`));
    if (request.method !== route.method)
      return errorResponse(new ApiError("BAD_REQUEST", `${pathname} takes ${route.method}.`, { status: 405 }));
    try {
      return await route.handler(request, env);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      // Log the message only: inputs and model files may be sensitive, and stack traces add nothing here.
      console.error(`inference: ${pathname} failed: ${error instanceof Error ? error.message : String(error)}`);
      return errorResponse(new ApiError("INTERNAL_ERROR", "Inference failed inside the worker."));
    }
  },
} satisfies ExportedHandler<InferenceEnv>;

function errorResponse(error: ApiError): Response {
  return Response.json(error.body(), { status: error.status, headers: error.headers });
}
