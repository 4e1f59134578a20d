import { ApiError, errors } from "@edgeserve/api";
import { callDeadline, clientClosedRequest } from "../../call-deadline";
import type { ProviderCall } from "../../external-model/provider";
import type { WorkersAiBinding } from "./binding";

/** `env.AI.run` under the call's deadline and the client's signal; its failures as ApiErrors. */
export async function runWorkersAi(
  ai: WorkersAiBinding,
  model: string,
  inputs: Record<string, unknown>,
  call: Pick<ProviderCall, "timeoutMs" | "signal">,
): Promise<unknown> {
  // Never settled: a streamed answer keeps reading under the deadline's signal after this returns.
  const deadline = callDeadline(call.timeoutMs, call.signal);
  try {
    return await ai.run(model, inputs, { signal: deadline.signal });
  } catch (e) {
    if (deadline.expired)
      throw new ApiError(
        "DEADLINE_EXCEEDED",
        `Workers AI did not answer within ${Math.round(call.timeoutMs / 1000)} s.`,
      );
    if (deadline.clientGone) throw clientClosedRequest();
    // The binding's errors carry Workers AI's code and reason ("3040: Capacity temporarily exceeded…").
    const message = e instanceof Error ? e.message : String(e);
    if (/capacity|rate limit/i.test(message))
      throw errors.unavailable(`Workers AI model '${model}' is over capacity: ${message}`, 1);
    throw new ApiError("BAD_GATEWAY", `Workers AI model '${model}' failed: ${message}`, { status: 502, cause: e });
  }
}
