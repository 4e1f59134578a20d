import type { ApiError } from "@edgeserve/api";

/**
 * Whether a failed attempt is tried on the next entity: the entity answered 429 or 5xx, could not be reached
 * (503) or timed out (504), or the gateway failed unexpectedly while calling it (500). A 4xx is the query's
 * own fault and would fail on every entity; a client that went away (499) wants no answer at all.
 */
export function fallsBack(error: ApiError): boolean {
  return error.status === 429 || error.status >= 500;
}
