import { ApiError } from "@edgeserve/api";
import { sseJsonEvent } from "./sse";

/** What a provider's stream failed with, as an ApiError naming the provider. */
export function streamFailure(error: unknown, provider: string): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError("BAD_GATEWAY", `The provider '${provider}' stream failed.`, { status: 502, cause: error });
}

/**
 * How a stream that already sent bytes reports a failure: one `data: {"error": {error_code, message}}`
 * event, then the stream closes (no `[DONE]`). The same shape output guardrails send when they block
 * mid-stream; OpenAI's SDK throws an APIError with that message.
 */
export function streamErrorEvent(error: ApiError, redact: (text: string) => string): string {
  return sseJsonEvent({ error: { error_code: error.code, message: redact(error.message) } });
}

/** The failure to record with a stream's usage: none when the client itself went away. */
export function recordedFailure(error: ApiError): ApiError | undefined {
  return error.code === "ABORTED" ? undefined : error;
}
