import { parseOrThrow, recordedQueryFieldsSchema } from "@edgeserve/api";

/**
 * 400 INVALID_PARAMETER_VALUE naming the field when `client_request_id` or `usage_context` is out of the
 * bounds of packages/api (query.ts). Checked on every query route, custom models' included (their scoring
 * protocol ignores the fields otherwise), so every usage record fits a queue message.
 */
export function checkRecordedQueryFields(body: Record<string, unknown>): void {
  if (body.client_request_id === undefined && body.usage_context === undefined) return;
  parseOrThrow(recordedQueryFieldsSchema, {
    client_request_id: body.client_request_id,
    usage_context: body.usage_context,
  });
}
