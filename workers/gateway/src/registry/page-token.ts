import { errors } from "@edgeserve/api";

/** Search pages are offsets; the token is opaque to clients (base64 JSON), as MLflow's. */
function encodePageToken(offset: number): string {
  return btoa(JSON.stringify({ offset }));
}

export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  try {
    const value = JSON.parse(atob(token)) as { offset?: unknown };
    if (typeof value.offset === "number" && Number.isInteger(value.offset) && value.offset >= 0) return value.offset;
  } catch {
    // fall through
  }
  throw errors.invalid("Invalid value for 'page_token': not a token this server issued.");
}

/** One page of `items` and the token of the next, if any. */
export function paginate<T>(
  items: T[],
  pageToken: string | undefined,
  maxResults: number,
): { page: T[]; next?: string } {
  const offset = decodePageToken(pageToken);
  const page = items.slice(offset, offset + maxResults);
  return offset + maxResults < items.length ? { page, next: encodePageToken(offset + maxResults) } : { page };
}
