import { ApiError, errors, isErrorBody } from "@edgeserve/api";
import type { EmbedRequest, EmbedResponse } from "@edgeserve/mlflow/inference-protocol";
import { callDeadline, clientClosedRequest } from "../call-deadline";

/** Texts per call to the inference worker (it accepts up to 256): bounds one call's CPU time and memory. */
const EMBED_BATCH_SIZE = 64;

/**
 * Embeds texts with the inference worker's built-in encoder (POST https://inference/v1/embeddings over the
 * INFERENCE service binding), in batches, and joins the answers in input order.
 */
export async function embedWithInferenceWorker(
  inference: Fetcher | undefined,
  texts: readonly string[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<EmbedResponse> {
  if (!inference)
    throw errors.unavailable(
      "The built-in embeddings model is not available: the gateway has no INFERENCE service binding.",
    );
  const joined: EmbedResponse = { model: "", embeddings: [], tokens: 0 };
  for (let start = 0; start < texts.length; start += EMBED_BATCH_SIZE) {
    const batch = await embedBatch(inference, { texts: texts.slice(start, start + EMBED_BATCH_SIZE) }, options);
    joined.model = batch.model;
    joined.embeddings.push(...batch.embeddings);
    joined.tokens += batch.tokens;
  }
  return joined;
}

async function embedBatch(
  inference: Fetcher,
  request: EmbedRequest,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<EmbedResponse> {
  const deadline = callDeadline(options.timeoutMs, options.signal);
  let res: Response;
  try {
    res = await inference.fetch("https://inference/v1/embeddings", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
      signal: deadline.signal,
    });
  } catch (e) {
    if (deadline.expired)
      throw new ApiError(
        "DEADLINE_EXCEEDED",
        `The built-in embeddings model did not answer within ${Math.round(options.timeoutMs / 1000)} s.`,
      );
    if (deadline.clientGone) throw clientClosedRequest();
    throw new ApiError(
      "TEMPORARILY_UNAVAILABLE",
      `Could not reach the inference worker: ${e instanceof Error ? e.message : "network error"}`,
      {
        headers: { "Retry-After": "1" },
        cause: e,
      },
    );
  }
  const body: unknown = await res.json().catch(() => null);
  deadline.settle();
  if (res.ok && isEmbedResponse(body, request.texts.length)) return body;
  const message = isErrorBody(body) ? body.message : `The inference worker answered ${res.status}.`;
  if (res.status === 503) throw errors.unavailable(message, 5);
  if (res.status === 400) throw errors.invalid(message);
  throw new ApiError("INTERNAL_ERROR", res.ok ? "The inference worker answered an invalid embeddings body." : message);
}

function isEmbedResponse(body: unknown, count: number): body is EmbedResponse {
  const b = body as Partial<EmbedResponse> | null;
  return (
    typeof b?.model === "string" &&
    typeof b.tokens === "number" &&
    Array.isArray(b.embeddings) &&
    b.embeddings.length === count
  );
}
