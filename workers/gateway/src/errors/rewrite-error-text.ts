import { ApiError } from "@edgeserve/api";
import { describeValue } from "./describe-error";

/** Causes deeper than this are dropped from the copy rather than passed on unrewritten. */
const MAX_DEPTH = 4;

/**
 * `error` with `rewrite` applied to all the text it carries — its message, its stack and its cause chain —
 * so what goes on to the client and the logs is rewritten everywhere (used to cut out credentials). An
 * ApiError keeps its code, status, headers and handled/unhandled kind; another error its name. Returns
 * `error` itself when no text changes.
 */
export function rewriteErrorText(error: unknown, rewrite: (text: string) => string, depth = 0): unknown {
  if (error === undefined || error === null) return error;
  if (!(error instanceof Error)) {
    const text = describeValue(error);
    const rewritten = rewrite(text);
    return rewritten === text ? error : rewritten;
  }
  const message = rewrite(error.message);
  const stack = error.stack === undefined ? undefined : rewrite(error.stack);
  const cause = depth + 1 < MAX_DEPTH ? rewriteErrorText(error.cause, rewrite, depth + 1) : undefined;
  if (message === error.message && stack === error.stack && cause === error.cause) return error;
  const copy =
    error instanceof ApiError
      ? new ApiError(error.code, message, {
          status: error.status,
          headers: error.headers,
          cause,
          unhandled: error.unhandled,
        })
      : new Error(message, cause === undefined ? undefined : { cause });
  copy.name = error.name;
  if (stack !== undefined) copy.stack = stack;
  return copy;
}
