import type { ApiError } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";

/** Status of each ConverseStream exception event (`:exception-type`), as Bedrock documents them for HTTP. */
const EXCEPTION_STATUS: Record<string, number> = {
  validationException: 400,
  accessDeniedException: 403,
  resourceNotFoundException: 404,
  modelTimeoutException: 408,
  throttlingException: 429,
  modelNotReadyException: 429,
  serviceQuotaExceededException: 400,
  internalServerException: 500,
  modelStreamErrorException: 502,
  modelErrorException: 502,
  serviceUnavailableException: 503,
};

/** Bedrock's error body is `{"message": …}` (some paths send `Message`): normalise it for upstreamMessage. */
function normalizedBody(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as { message?: unknown; Message?: unknown };
    const message = body.message ?? body.Message;
    if (typeof message === "string") return JSON.stringify({ message });
  } catch {
    // not JSON
  }
  return bodyText;
}

/**
 * A Bedrock error response → ours. The status already says what happened (400 validation, 403 bad
 * signature or access, 429 throttling, 408 model timeout, 503 unavailable); 424 (the model itself
 * failed) is the provider's failure, so 502.
 */
export function mapBedrockError(status: number, headers: Headers, bodyText: string): ApiError {
  return mapUpstreamError(status === 424 ? 502 : status, headers, normalizedBody(bodyText), "amazon-bedrock");
}

/** An `exception` (or `error`) message inside a ConverseStream → the same mapping as an HTTP error. */
export function mapBedrockStreamException(type: string, payloadText: string): ApiError {
  const status = EXCEPTION_STATUS[type] ?? 502;
  return mapBedrockError(status, new Headers(), payloadText);
}
