import { parseOrThrow, recordedQueryFieldsSchema } from "@edgeserve/api";
import type { QueryContext } from "../query-context";
import type { UsageRecord } from "./usage-record";

/**
 * What every usage record of a query says about who asked what, whatever kind of entity answered:
 * request, endpoint, served entity, requester, and the caller's client_request_id / usage_context.
 */
export function queryUsageFields(
  ctx: Pick<QueryContext, "requestId" | "endpoint" | "entity" | "principal" | "body">,
  started: number,
): Pick<UsageRecord, "requestId" | "timestamp" | "endpointId" | "endpointName" | "servedEntity" | "requester" | "requesterKind" | "clientRequestId" | "usageContext"> {
  const { body } = ctx;
  return {
    requestId: ctx.requestId,
    timestamp: started,
    endpointId: ctx.endpoint.row.id,
    endpointName: ctx.endpoint.row.name,
    servedEntity: ctx.entity.name,
    requester: ctx.principal.name,
    requesterKind: ctx.principal.kind,
    ...(typeof body.client_request_id === "string" ? { clientRequestId: body.client_request_id } : {}),
    ...(body.usage_context && typeof body.usage_context === "object" ? { usageContext: body.usage_context as Record<string, unknown> } : {}),
  };
}

/**
 * 400 INVALID_PARAMETER_VALUE naming the field when `client_request_id` or `usage_context` is out of the
 * bounds of packages/api (query.ts). Checked on every query route, custom models' included (their scoring
 * protocol ignores the fields otherwise), so every usage record fits a queue message.
 */
export function checkRecordedQueryFields(body: Record<string, unknown>): void {
  if (body.client_request_id === undefined && body.usage_context === undefined) return;
  parseOrThrow(recordedQueryFieldsSchema, { client_request_id: body.client_request_id, usage_context: body.usage_context });
}
