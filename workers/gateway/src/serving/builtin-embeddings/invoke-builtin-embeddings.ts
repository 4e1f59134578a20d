import { ApiError, type EmbeddingsRequest, QUERY_SCHEMAS, parseOrThrow } from "@edgeserve/api";
import { chargeTokens } from "../../rate-limits";
import type { QueryContext } from "../query-context";
import { upstreamTimeoutMs } from "../upstream-fetch";
import { estimateTokens } from "../external-model/shared/usage";
import { recordQueryUsage } from "../usage/record-usage";
import { BUILTIN_EMBEDDINGS_TASK } from "./builtin-entity";
import { embedWithInferenceWorker } from "./embed-with-inference-worker";
import { textsOfRequest } from "./texts-of-request";
import { toOpenAiEmbeddingsBody } from "./to-openai-embeddings";
import { jsonResponse } from "../../http/known-body-text";

/** Serves an OpenAI embeddings query with the built-in encoder of the inference worker. */
export async function invokeBuiltinEmbeddings(ctx: QueryContext): Promise<Response> {
  const body = parseOrThrow(QUERY_SCHEMAS[BUILTIN_EMBEDDINGS_TASK].request, ctx.body) as EmbeddingsRequest;
  if ((body as { stream?: unknown }).stream === true)
    throw new ApiError("INVALID_PARAMETER_VALUE", "Streaming is not supported for embeddings.");
  const texts = textsOfRequest(body);

  const started = Date.now();
  const record = (promptTokens: number, status: number, estimated: boolean) =>
    recordQueryUsage(ctx, started, {
      task: BUILTIN_EMBEDDINGS_TASK,
      provider: null,
      stream: false,
      promptTokens,
      completionTokens: 0,
      estimated,
      status,
    });

  try {
    const result = await embedWithInferenceWorker(ctx.env.INFERENCE, texts, {
      timeoutMs: upstreamTimeoutMs(ctx.env),
      signal: ctx.signal,
    });
    record(result.tokens, 200, false);
    chargeTokens(ctx.env, ctx.endpoint, ctx.principal, result.tokens, ctx.waitUntil);
    return jsonResponse(toOpenAiEmbeddingsBody(result, body.encoding_format));
  } catch (error) {
    // Failed calls are recorded too, with the prompt estimated from its characters.
    record(estimateTokens(texts.join("\n")), error instanceof ApiError ? error.status : 500, true);
    throw error;
  }
}
