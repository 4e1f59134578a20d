import { ApiError } from "@edgeserve/api";

export interface UpstreamBodyOptions {
  /** The longest the upstream may stay silent while the gateway waits for its next bytes. */
  idleMs: number;
  provider: string;
  /** Turns a failed read (connection lost, whole-call deadline, client gone) into the error to report. */
  failure(error: unknown): ApiError;
  /** Ends the upstream call (its fetch is aborted, so the connection closes). */
  abort(): void;
}

/** A deadline in error messages: `297 s`, `2.5 s`. */
export function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

function idleDeadlineError(provider: string, idleMs: number): ApiError {
  return new ApiError(
    "DEADLINE_EXCEEDED",
    `The provider '${provider}' sent nothing for ${seconds(idleMs)} (EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S).`,
  );
}

/**
 * An upstream body that keeps to its idle deadline: every read must bring bytes within `idleMs`, or
 * the upstream call is ended and the body fails with 504 DEADLINE_EXCEEDED. Any other failed read
 * fails the body with `failure(error)` (an ApiError naming the provider), never a bare TypeError, so
 * whoever reads it (a stream converter, `response.text()`) reports the cause. Nothing is read ahead
 * (highWaterMark 0): the clock runs only while someone waits for the upstream.
 *
 * One watchdog timer per body, not a timer and a Promise.race per read: it is armed by the first read
 * that finds none, and when it fires it measures the read waiting then, re-arming for what that read has
 * left. Under 32 concurrent streams the per-read timers were ~8% of the gateway's CPU (bench/findings.json).
 */
export function upstreamBody(
  body: ReadableStream<Uint8Array>,
  options: UpstreamBodyOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  /** When the read in progress began; 0 while no read waits. */
  let waitingSince = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failed = false;
  const stopWatching = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: ApiError) => {
    if (failed) return;
    failed = true;
    stopWatching();
    options.abort();
    reader.cancel().catch(() => {});
    controller.error(error);
  };
  const watch = (controller: ReadableStreamDefaultController<Uint8Array>, delayMs: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      if (!waitingSince) return;
      const left = waitingSince + options.idleMs - Date.now();
      if (left > 0) watch(controller, left);
      else fail(controller, idleDeadlineError(options.provider, options.idleMs));
    }, delayMs);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        waitingSince = Date.now();
        if (timer === undefined) watch(controller, options.idleMs);
        try {
          const step = await reader.read();
          waitingSince = 0;
          if (failed) return;
          if (step.done) {
            stopWatching();
            controller.close();
          } else controller.enqueue(step.value);
        } catch (error) {
          waitingSince = 0;
          fail(controller, options.failure(error));
        }
      },
      async cancel(reason) {
        stopWatching();
        await reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}
