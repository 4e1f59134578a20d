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
 */
export function upstreamBody(
  body: ReadableStream<Uint8Array>,
  options: UpstreamBodyOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const idle = Symbol("idle");
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const silence = new Promise<typeof idle>(
          (resolve) => (timer = setTimeout(() => resolve(idle), options.idleMs)),
        );
        try {
          const step = await Promise.race([reader.read(), silence]);
          if (step === idle) throw idle;
          if (step.done) controller.close();
          else controller.enqueue(step.value);
        } catch (error) {
          options.abort();
          reader.cancel().catch(() => {});
          controller.error(
            error === idle ? idleDeadlineError(options.provider, options.idleMs) : options.failure(error),
          );
        } finally {
          clearTimeout(timer);
        }
      },
      async cancel(reason) {
        await reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}
