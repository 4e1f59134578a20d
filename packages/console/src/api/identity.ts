import { client, sdkCall } from "./sdk";
import type { Me } from "./types";

/** The caller (SCIM /Me): sign-in uses it to check a token before keeping it. */
export async function getMe(token?: string): Promise<Me> {
  return (await sdkCall(client(token).GET("/api/2.0/preview/scim/v2/Me"), { sessionToken: !token })) as Me;
}
