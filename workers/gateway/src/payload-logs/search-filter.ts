import type { PayloadLogRecord } from "@edgeserve/api";

export interface PayloadLogSearch {
  request_id?: string | undefined;
  status?: "success" | "error" | undefined;
  text?: string | undefined;
}

/** The record test of a payload-log search, or undefined when nothing is searched (every record is listed). */
export function searchFilter(search: PayloadLogSearch): ((record: PayloadLogRecord) => boolean) | undefined {
  const { request_id: requestId, status } = search;
  const text = search.text?.toLowerCase();
  if (requestId === undefined && status === undefined && text === undefined) return undefined;
  return (r) =>
    (requestId === undefined || r.databricks_request_id === requestId || r.client_request_id === requestId) &&
    (status === undefined || (status === "error") === r.status_code >= 400) &&
    (text === undefined || [r.request, r.response, r.requester].some((field) => field?.toLowerCase().includes(text)));
}
