import { ApiError } from "@edgeserve/api";

/** A call's deadline joined with the client's cancellation: one signal to pass to fetch(), and which one fired. */
export interface CallDeadline {
  /** Aborts when the deadline passes, the client goes away, or the caller ends the call (`end`). */
  readonly signal: AbortSignal;
  /** The deadline has passed. */
  readonly expired: boolean;
  /** The client went away. */
  readonly clientGone: boolean;
  /** Ends the call early for a reason of the caller's own (say, an idle deadline): neither expired nor clientGone. */
  end(): void;
  /** The call is over: its deadline no longer runs (a call that never says so keeps a timer until the request ends). */
  settle(): void;
}

/**
 * The deadline of a call to an upstream (a provider, the inference worker): `timeoutMs` from now, ended
 * early by the client's `signal` (the request's, so a client that leaves stops the upstream's work too)
 * or by the caller. After a failed call, `expired` and `clientGone` tell why.
 *
 * One AbortController, one timer and one listener: AbortSignal.timeout joined by AbortSignal.any cost a
 * plain query ~5 % of the gateway's CPU in workerd (bench/findings.json).
 */
export function callDeadline(timeoutMs: number, client?: AbortSignal): CallDeadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException("The call's deadline passed.", "TimeoutError"));
  }, timeoutMs);
  const clientLeft = () => controller.abort(client?.reason);
  if (client?.aborted) clientLeft();
  else client?.addEventListener("abort", clientLeft);
  const settle = () => {
    clearTimeout(timer);
    client?.removeEventListener("abort", clientLeft);
  };
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    get clientGone() {
      return client?.aborted ?? false;
    },
    end() {
      settle();
      controller.abort();
    },
    settle,
  };
}

/** The error of a call the client gave up on: 499 (nginx's "client closed request"), seen only by logs and usage. */
export function clientClosedRequest(): ApiError {
  return new ApiError("ABORTED", "The client closed the request.", { status: 499 });
}
