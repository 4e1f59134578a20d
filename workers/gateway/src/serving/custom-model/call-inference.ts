import { ApiError, type ErrorCode, ERROR_STATUS } from "@edgeserve/api";
import type { PredictOutcome, PredictRequest, PredictResponse } from "@edgeserve/mlflow";
import type { InferenceBinding } from "../../env";
import { callDeadline, clientClosedRequest } from "../call-deadline";
import { seconds } from "../upstream-body";

export interface InferenceCallOptions {
  /** The whole call, answer included (EDGESERVE_UPSTREAM_TIMEOUT_S, as for providers). */
  timeoutMs: number;
  /** Fires when the client goes away. */
  signal?: AbortSignal;
}

/**
 * Calls the inference worker's `predict` over RPC (service binding INFERENCE): the request and the
 * predictions cross by structured clone, no JSON text. Errors the worker answers keep their code and status;
 * a call that fails is 502 with its cause kept for the logs; one not answered by the deadline is 504
 * DEADLINE_EXCEEDED, as a provider would be, and 499 once the client has gone.
 */
export async function callInference(
  inference: Pick<InferenceBinding, "predict"> | undefined,
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
  let outcome: PredictOutcome;
  try {
    outcome = await untilAborted(inference.predict(request), deadline.signal);
  } catch (e) {
    throw ended() ?? new ApiError("BAD_GATEWAY", "The inference worker failed to answer.", { cause: e });
  } finally {
    deadline.settle();
  }
  return predictionsOf(outcome);
}

/** The predictions of an outcome, or the worker's error as it answered it (anything unexpected is 502). */
function predictionsOf(outcome: unknown): PredictResponse {
  if (typeof outcome !== "object" || outcome === null)
    throw new ApiError("BAD_GATEWAY", "The inference worker answered without predictions.");
  if ("error" in outcome) {
    const { error, status } = outcome as { error: { error_code?: unknown; message?: unknown }; status: unknown };
    if (
      typeof error?.error_code === "string" &&
      Object.hasOwn(ERROR_STATUS, error.error_code) &&
      typeof error.message === "string" &&
      typeof status === "number"
    )
      throw new ApiError(error.error_code as ErrorCode, error.message, { status });
    throw new ApiError("BAD_GATEWAY", "The inference worker failed.", { cause: outcome });
  }
  if (!("predictions" in outcome))
    throw new ApiError("BAD_GATEWAY", "The inference worker answered without predictions.");
  return outcome as PredictResponse;
}

/**
 * `call`, or a rejection with the signal's reason once it aborts. An RPC call takes no AbortSignal; the
 * worker's work is not cancelled (it never was: the HTTP route did not read request.signal either), but
 * the query answers at its deadline.
 */
function untilAborted<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
