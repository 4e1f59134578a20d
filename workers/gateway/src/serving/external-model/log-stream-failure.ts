import type { ApiError } from "@edgeserve/api";
import { logError } from "../../middleware/errors/log-error";
import type { ProviderCall } from "./provider";
import { type Redact, redactCredentials } from "./redact-credentials";

type OnUsage = ProviderCall["onUsage"];

/**
 * A provider's usage hook that first logs the error a stream ended with after its first bytes: the client got
 * a 200 and only the error event's message, so the cause is logged as the app's onError logs a 5xx, with the
 * request id and the endpoint's credentials cut out. Errors thrown before the first byte reach onError instead.
 */
export function loggingStreamFailures(onUsage: OnUsage, redact: Redact, requestId: string): OnUsage {
  return (usage, failed) => {
    if (failed) logError(redactCredentials(failed, redact) as ApiError, requestId);
    onUsage(usage, failed);
  };
}
