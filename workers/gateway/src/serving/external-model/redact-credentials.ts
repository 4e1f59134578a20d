import { rewriteErrorText } from "../../errors/rewrite-error-text";

/** Values shorter than this are not redacted: they would match ordinary text (and are no real keys). */
const MIN_SECRET_LENGTH = 8;
const REDACTED = "[REDACTED]";

export type Redact = (text: string) => string;

/**
 * A function that replaces the endpoint's credential values in text the gateway passes on from a
 * provider (error messages, mid-stream error events), in case a provider or a proxy echoes what it was sent.
 */
export function credentialRedactor(credentials: ReadonlyMap<string, string>): Redact {
  // Longest first, so a key that contains another is replaced whole.
  const secrets = [...credentials.values()]
    .filter((v) => v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (!secrets.length) return (text) => text;
  return (text) => secrets.reduce((out, secret) => out.replaceAll(secret, REDACTED), text);
}

/**
 * A failed provider call's error with the endpoint's credentials cut out of its message, stack and causes.
 * The message goes to the client, the service log, the payload log and (for unexpected errors) the worker's
 * log; the causes (what the provider answered) to the logs. Keeps an ApiError's code, status and headers,
 * and another error's name.
 */
export function redactCredentials(error: unknown, redact: Redact): unknown {
  return rewriteErrorText(error, redact);
}
