import { handleEmbeddings } from "./builtin-embeddings";
import type { InferenceEnv } from "./env";

// Minimal router; the inference worker's full routing (e.g. /v1/predict) lives on its own branch.
export default {
  async fetch(request: Request, env: InferenceEnv): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/v1/embeddings") return handleEmbeddings(request, env);
    return Response.json({ error_code: "ENDPOINT_NOT_FOUND", message: `No route ${pathname}` }, { status: 404 });
  },
} satisfies ExportedHandler<InferenceEnv>;
