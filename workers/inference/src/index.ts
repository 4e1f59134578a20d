import { ApiError } from "@edgeserve/api/errors";
import type { InferenceEnv } from "./env";
import { handleEmbeddings } from "./builtin-embeddings";
import { handlePredict } from "./predict/handle-predict";

type Handler = (request: Request, env: InferenceEnv) => Promise<Response>;

/** POST routes, reached only through the gateway's INFERENCE service binding. */
const routes: Record<string, Handler> = {
  "/v1/predict": handlePredict,
  "/v1/embeddings": handleEmbeddings,
};

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const handler = routes[pathname];
    if (!handler) return errorResponse(new ApiError("ENDPOINT_NOT_FOUND", `No route ${pathname}.`));
    if (request.method !== "POST") return errorResponse(new ApiError("BAD_REQUEST", `${pathname} takes POST.`, { status: 405 }));
    try {
      return await handler(request, env);
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
