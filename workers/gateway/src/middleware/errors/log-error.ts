import type { ApiError } from "@edgeserve/api";
import { describeError } from "../../errors/describe-error";

/**
 * Writes a failed request's error to the worker's log, one JSON line: an unhandled error (a bug) with its
 * stack, a handled server-side failure (5xx) with its cause (what the upstream said). The client's own
 * mistakes (4xx) are not logged, and never request data. Credentials are cut out before an error gets here.
 */
export function logError(error: ApiError, requestId: string | undefined): void {
  if (error.unhandled) {
    console.error(JSON.stringify({ level: "error", requestId, error: describeError(error.cause, { stack: true }) }));
  } else if (error.status >= 500 && error.cause !== undefined) {
    const { status, code, message } = error;
    console.error(
      JSON.stringify({
        level: "error",
        requestId,
        status,
        error_code: code,
        message,
        cause: describeError(error.cause),
      }),
    );
  }
}
