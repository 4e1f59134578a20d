import { ApiError, type ErrorCode, ERROR_STATUS, isErrorBody } from "@edgeserve/api";
import type { PredictRequest, PredictResponse } from "@edgeserve/mlflow";

/** What the inference worker answered is kept up to this length as an error's cause. */
const MAX_CAUSE_CHARS = 2000;

/** POSTs a PredictRequest to the inference worker (service binding INFERENCE) and maps its errors through. */
export async function callInference(inference: Fetcher | undefined, request: PredictRequest, signal?: AbortSignal): Promise<PredictResponse> {
  if (!inference) throw new ApiError("TEMPORARILY_UNAVAILABLE", "Custom models cannot be served: the inference worker is not bound (service binding INFERENCE).");
  let response: Response;
  try {
    response = await inference.fetch("https://inference/v1/predict", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
      ...(signal && { signal }),
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError("BAD_GATEWAY", "The inference worker could not be reached.", { cause: e });
  }
  const text = await response.text().catch(() => "");
  const body = parseJson(text);
  if (!response.ok) {
    // The worker speaks our error shape; anything else is its failure, not the caller's (kept for the logs).
    if (isErrorBody(body) && Object.hasOwn(ERROR_STATUS, body.error_code))
      throw new ApiError(body.error_code as ErrorCode, body.message, { status: response.status });
    const cause = `The inference worker answered HTTP ${response.status}: ${text.slice(0, MAX_CAUSE_CHARS)}`;
    throw new ApiError("BAD_GATEWAY", `The inference worker failed (HTTP ${response.status}).`, { cause });
  }
  if (typeof body !== "object" || body === null || !("predictions" in body))
    throw new ApiError("BAD_GATEWAY", "The inference worker answered without predictions.");
  return body as PredictResponse;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
