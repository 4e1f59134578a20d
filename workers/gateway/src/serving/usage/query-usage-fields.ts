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
