import { z } from "zod";

/**
 * An OAuth 2.0 token answer (RFC 6749 §5.1), as Google's token endpoint and Microsoft Entra ID send it: the
 * token, and its lifetime in seconds when given (Entra ID v1 sent it as a string). A lifetime that is missing or
 * unusable is left out, and the reader assumes an hour, rather than failing a call over it.
 */
export const oauthTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  expires_in: z.coerce.number<unknown>().positive().optional().catch(undefined),
});

/** An OAuth 2.0 error answer (RFC 6749 §5.2): `{"error":"invalid_grant","error_description":"…"}`. */
const oauthErrorSchema = z.looseObject({
  error: z.string().optional().catch(undefined),
  error_description: z.string().optional().catch(undefined),
});

/** "invalid_grant: Invalid JWT Signature." from an OAuth error body, or "" when it is not one. */
export function oauthErrorDetail(bodyText: string): string {
  let value: unknown;
  try {
    value = JSON.parse(bodyText);
  } catch {
    return "";
  }
  const parsed = oauthErrorSchema.safeParse(value);
  if (!parsed.success) return "";
  return [parsed.data.error, parsed.data.error_description].filter((x) => x !== undefined).join(": ");
}
