import { ApiError } from "@edgeserve/api";

/** A call's deadline joined with the client's cancellation: one signal to pass to fetch(), and which one fired. */
export interface CallDeadline {
  /** Aborts when the deadline passes, the client goes away, or one of the other signals given aborts. */
  readonly signal: AbortSignal;
  /** The deadline has passed. */
  readonly expired: boolean;
  /** The client went away. */
  readonly clientGone: boolean;
}

/**
 * The deadline of a call to an upstream (a provider, the inference worker): `timeoutMs` from now, ended
 * early by the client's `signal` (the request's, so a client that leaves stops the upstream's work too)
 * and by any `others` (say, an idle deadline). After a failed call, `expired` and `clientGone` tell why.
 */
export function callDeadline(timeoutMs: number, client?: AbortSignal, others: AbortSignal[] = []): CallDeadline {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signals = [timeout, ...others, ...(client ? [client] : [])];
  return {
    signal: signals.length > 1 ? AbortSignal.any(signals) : timeout,
    get expired() {
      return timeout.aborted;
    },
    get clientGone() {
      return client?.aborted ?? false;
    },
  };
}

/** The error of a call the client gave up on: 499 (nginx's "client closed request"), seen only by logs and usage. */
export function clientClosedRequest(): ApiError {
  return new ApiError("ABORTED", "The client closed the request.", { status: 499 });
}
