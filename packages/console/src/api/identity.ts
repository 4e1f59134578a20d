import { apiRequest } from "./client";
import type { Me } from "./types";

/** The caller (SCIM /Me): sign-in uses it to check a token before keeping it. */
export function getMe(token?: string): Promise<Me> {
  return apiRequest("GET", "/api/2.0/preview/scim/v2/Me", token ? { token } : {});
}
