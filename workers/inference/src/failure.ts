import { ApiError } from "@edgeserve/api/errors";

/**
 * A failure as the gateway may see it: an ApiError as it is; anything else (a bug, a broken model file)
 * logged here by its message only, since inputs and model files may be sensitive and stack traces add
 * nothing, and answered as a generic 500.
 */
export function asApiError(error: unknown, what: string): ApiError {
  if (error instanceof ApiError) return error;
  console.error(`inference: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  return new ApiError("INTERNAL_ERROR", "Inference failed inside the worker.");
}
