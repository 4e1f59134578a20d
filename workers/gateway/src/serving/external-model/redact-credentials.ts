/** Values shorter than this are not redacted: they would match ordinary text (and are no real keys). */
const MIN_SECRET_LENGTH = 8;

/**
 * A function that replaces the endpoint's credential values in text the gateway passes on from a
 * provider (error messages, error events), in case a provider or a proxy echoes what it was sent.
 */
export function credentialRedactor(credentials: ReadonlyMap<string, string>): (text: string) => string {
  const secrets = [...credentials.values()].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (!secrets.length) return (text) => text;
  return (text) => secrets.reduce((out, secret) => out.replaceAll(secret, "[REDACTED]"), text);
}
