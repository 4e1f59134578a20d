import { ApiError, type ErrorCode, ERROR_STATUS, isErrorBody } from "@edgeserve/api";
import type { PredictRequest, PredictResponse } from "@edgeserve/mlflow";
import { callDeadline, clientClosedRequest } from "../call-deadline";
import { seconds } from "../upstream-body";
import { upstreamAnswer } from "../upstream-errors";

export interface InferenceCallOptions {
  /** The whole call, answer included (EDGESERVE_UPSTREAM_TIMEOUT_S, as for providers). */
  timeoutMs: number;
  /** Fires when the client goes away. */
  signal?: AbortSignal;
}

/**
 * POSTs a PredictRequest to the inference worker (service binding INFERENCE) and maps its errors through.
 * A worker that has not answered by the deadline is 504 DEADLINE_EXCEEDED, as a provider would be.
 */
export async function callInference(
  inference: Fetcher | undefined,
  request: PredictRequest,
  options: InferenceCallOptions,
): Promise<PredictResponse> {
  if (!inference)
    throw new ApiError(
      "TEMPORARILY_UNAVAILABLE",
      "Custom models cannot be served: the inference worker is not bound (service binding INFERENCE).",
    );
  const deadline = callDeadline(options.timeoutMs, options.signal);
  const ended = () => {
    if (deadline.expired)
      return new ApiError(
        "DEADLINE_EXCEEDED",
        `The custom model did not answer within ${seconds(options.timeoutMs)} (EDGESERVE_UPSTREAM_TIMEOUT_S).`,
      );
    return deadline.clientGone ? clientClosedRequest() : null;
  };
  let response: Response;
  try {
    response = await inference.fetch("https://inference/v1/predict", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
      signal: deadline.signal,
    });
  } catch (e) {
    throw ended() ?? new ApiError("BAD_GATEWAY", "The inference worker could not be reached.", { cause: e });
  }
  const text = await response.text().catch(() => {
    const error = ended();
    if (error) throw error;
    return "";
  });
  const body = parseJson(text);
  if (!response.ok) {
    // The worker speaks our error shape; anything else is its failure, not the caller's (kept for the logs).
    if (isErrorBody(body) && Object.hasOwn(ERROR_STATUS, body.error_code))
      throw new ApiError(body.error_code as ErrorCode, body.message, { status: response.status });
    const cause = upstreamAnswer("The inference worker", response.status, text);
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
