import { ApiError } from "@edgeserve/api";
import { type CallDeadline, callDeadline, clientClosedRequest } from "./call-deadline";
import { seconds, upstreamBody } from "./upstream-body";

export interface UpstreamDeadlines {
  /** The whole call, from sending the request to the body's last byte. */
  timeoutMs: number;
  /**
   * The longest the upstream may stay silent: for a streamed call before its headers and between body
   * reads; for a plain call, from its headers to its body's end. Absent: only `timeoutMs` applies.
   */
  idleTimeoutMs?: number;
  /** A streamed call: its headers are due within `idleTimeoutMs` (a plain call's come with the whole answer). */
  stream?: boolean;
  /** Fires when the client goes away. */
  signal?: AbortSignal;
}

/**
 * fetch() to a model upstream with the endpoint's deadlines and the caller's cancellation. Before
 * the answer: a timeout is 504 DEADLINE_EXCEEDED, an unreachable host or a connection reset 503.
 * A plain call's answer comes back read whole (see readPlainAnswer), so a body that breaks off fails
 * this call; a stream's body fails with an ApiError naming the provider (a lost connection is 502, a
 * deadline 504), so a stream converter can end its stream with that error event.
 */
export async function fetchUpstream(
  url: string,
  init: RequestInit,
  options: UpstreamDeadlines & { provider: string },
): Promise<Response> {
  const { provider, timeoutMs, idleTimeoutMs } = options;
  const deadline = callDeadline(timeoutMs, options.signal);
  /** The idle deadline ended the call. */
  let idle = false;
  const endIdle = () => {
    idle = true;
    deadline.end();
  };
  const firstByte = options.stream && idleTimeoutMs ? setTimeout(endIdle, idleTimeoutMs) : undefined;
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: deadline.signal });
  } catch (e) {
    deadline.settle();
    if (deadline.expired)
      throw new ApiError(
        "DEADLINE_EXCEEDED",
        `The provider '${provider}' did not answer within ${seconds(timeoutMs)}.`,
      );
    if (idle)
      throw new ApiError(
        "DEADLINE_EXCEEDED",
        `The provider '${provider}' did not start its stream within ` +
          `${seconds(idleTimeoutMs!)} (EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S).`,
      );
    if (deadline.clientGone) throw clientClosedRequest();
    throw new ApiError("TEMPORARILY_UNAVAILABLE", `Could not reach the provider '${provider}': ${networkFailure(e)}.`, {
      headers: { "Retry-After": "1" },
      cause: e,
    });
  } finally {
    clearTimeout(firstByte);
  }
  /** A failed read of the body (connection lost, whole-call deadline, client gone) as the error to report. */
  const failure = (e: unknown) => {
    if (e instanceof ApiError) return e;
    if (deadline.expired)
      return new ApiError(
        "DEADLINE_EXCEEDED",
        `The provider '${provider}' did not finish its answer within ${seconds(timeoutMs)}.`,
      );
    if (deadline.clientGone) return clientClosedRequest();
    return new ApiError(
      "BAD_GATEWAY",
      `The connection to the provider '${provider}' broke off mid-answer: ${networkFailure(e)}.`,
      { status: 502, cause: e },
    );
  };
  if (!response.body) {
    deadline.settle();
    return response;
  }
  // Without an idle deadline the body is read under the whole call's deadline alone.
  if (!idleTimeoutMs) return response;
  if (!options.stream) return readPlainAnswer(response, { provider, idleTimeoutMs, endIdle, deadline, failure });
  const body = upstreamBody(response.body, {
    idleMs: idleTimeoutMs,
    provider,
    abort: endIdle,
    settle: deadline.settle,
    failure,
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * A plain answer, read whole: its body is due within the idle deadline of its headers (a plain answer's
 * headers come when it is ready, and its body right after them). Read natively (arrayBuffer), not chunk by
 * chunk under a watchdog as a stream is: that reading cost a plain query ~7 % of the gateway's CPU.
 */
async function readPlainAnswer(
  response: Response,
  call: {
    provider: string;
    idleTimeoutMs: number;
    endIdle(): void;
    deadline: CallDeadline;
    failure(e: unknown): ApiError;
  },
): Promise<Response> {
  let idle = false;
  const timer = setTimeout(() => {
    idle = true;
    call.endIdle();
  }, call.idleTimeoutMs);
  try {
    const bytes = await response.arrayBuffer();
    return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch (e) {
    if (idle)
      throw new ApiError(
        "DEADLINE_EXCEEDED",
        `The provider '${call.provider}' did not send its whole answer within ${seconds(call.idleTimeoutMs)} ` +
          "of its headers (EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S).",
      );
    throw call.failure(e);
  } finally {
    clearTimeout(timer);
    call.deadline.settle();
  }
}

export function upstreamTimeoutMs(env: { EDGESERVE_UPSTREAM_TIMEOUT_S?: string }): number {
  const seconds = Number(env.EDGESERVE_UPSTREAM_TIMEOUT_S ?? 297);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 297) * 1000;
}

/** Default idle deadline: long enough for a reasoning model that thinks silently, far below the whole call's 297 s. */
const DEFAULT_UPSTREAM_IDLE_TIMEOUT_S = 120;

/** EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S (seconds, decimals allowed): see UpstreamDeadlines.idleTimeoutMs. */
export function upstreamIdleTimeoutMs(env: { EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S?: string }): number {
  const seconds = Number(env.EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S ?? DEFAULT_UPSTREAM_IDLE_TIMEOUT_S);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_UPSTREAM_IDLE_TIMEOUT_S) * 1000;
}

/** A network error's message as the end of a sentence of ours (no trailing full stop of its own). */
function networkFailure(error: unknown): string {
  return (error instanceof Error ? error.message : "network error").replace(/\.+$/, "");
}
