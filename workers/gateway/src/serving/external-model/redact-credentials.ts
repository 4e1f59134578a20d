import { ApiError } from "@edgeserve/api";

/** Values shorter than this are not searched for: a one-letter "key" would mangle every message. */
const MIN_CREDENTIAL_LENGTH = 8;
const REDACTED = "[REDACTED]";

/**
 * A failed provider call's error with the endpoint's credentials cut out of its message. Some providers
 * and proxies echo the key they were sent ("Invalid API key: sk-…"), and the message goes to the client,
 * the service log, the payload log and (for unexpected errors) the worker's log.
 */
export function redactCredentials(error: unknown, credentials: Iterable<string>): unknown {
  if (!(error instanceof Error)) return error;
  let message = error.message;
  for (const value of credentials) if (value.length >= MIN_CREDENTIAL_LENGTH) message = message.replaceAll(value, REDACTED);
  if (message === error.message) return error;
  if (error instanceof ApiError) return new ApiError(error.code, message, { status: error.status, headers: error.headers });
  const redacted = new Error(message);
  redacted.name = error.name;
  return redacted;
}
