import type { EmbedResponse } from "@edgeserve/mlflow/inference-protocol";
import { encodeTexts } from "./encode-texts";
import { EncoderFilesMissingError, loadEncoder } from "./load-encoder";
import { ENCODER_MODEL_NAME } from "./model-files";
import { InvalidEmbedRequest, readEmbedRequest } from "./read-embed-request";

export interface EmbeddingsEnv {
  ARTIFACTS: R2Bucket;
}

/** `POST /v1/embeddings`: EmbedRequest → EmbedResponse from the built-in Universal Sentence Encoder. */
export async function handleEmbeddings(request: Request, env: EmbeddingsEnv): Promise<Response> {
  if (request.method !== "POST") return errorResponse(405, "BAD_REQUEST", "Use POST.");
  let texts: string[];
  try {
    texts = readEmbedRequest(await request.json()).texts;
  } catch (error) {
    const message = error instanceof InvalidEmbedRequest ? error.message : "The body is not valid JSON.";
    return errorResponse(400, "INVALID_PARAMETER_VALUE", message);
  }
  try {
    const encoder = await loadEncoder(env.ARTIFACTS);
    const { embeddings, tokens } = await encodeTexts(encoder, texts);
    return Response.json({ model: ENCODER_MODEL_NAME, embeddings, tokens } satisfies EmbedResponse);
  } catch (error) {
    if (error instanceof EncoderFilesMissingError) {
      return errorResponse(
        503,
        "TEMPORARILY_UNAVAILABLE",
        `The built-in embeddings model is not installed: ${error.message}.`,
      );
    }
    console.error("built-in embeddings failed", error);
    return errorResponse(500, "INTERNAL_ERROR", "The built-in embeddings model failed.");
  }
}

function errorResponse(status: number, errorCode: string, message: string): Response {
  return Response.json({ error_code: errorCode, message }, { status });
}
