import { ApiError } from "@edgeserve/api/errors";
import { handleEmbeddings } from "./builtin-embeddings";
import type { InferenceEnv } from "./env";
import { asApiError } from "./failure";
import { handleLimits } from "./model-store/handle-limits";
import { handlePredict } from "./predict/handle-predict";

type Handler = (request: Request, env: InferenceEnv) => Promise<Response>;

/** The worker's HTTP routes (method and path), reached only through the gateway's INFERENCE service binding. */
const routes: Record<string, { method: "GET" | "POST"; handler: Handler }> = {
  "/v1/predict": { method: "POST", handler: handlePredict },
  "/v1/embeddings": { method: "POST", handler: handleEmbeddings },
  "/v1/limits": { method: "GET", handler: handleLimits },
};

export async function route(request: Request, env: InferenceEnv): Promise<Response> {
  const { pathname } = new URL(request.url);
  const route = routes[pathname];
  if (!route) return errorResponse(new ApiError("ENDPOINT_NOT_FOUND", `No route ${pathname}.`));
  if (request.method !== route.method)
    return errorResponse(new ApiError("BAD_REQUEST", `${pathname} takes ${route.method}.`, { status: 405 }));
  try {
    return await route.handler(request, env);
  } catch (error) {
    return errorResponse(asApiError(error, pathname));
  }
}

function errorResponse(error: ApiError): Response {
  return Response.json(error.body(), { status: error.status, headers: error.headers });
}
