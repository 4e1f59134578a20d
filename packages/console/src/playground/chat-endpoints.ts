import type { EndpointSummary } from "../api";

/** The task of chat endpoints: external chat models (and foundation models, when Edgeserve has them). */
export const CHAT_TASK = "llm/v1/chat";

/**
 * The endpoints the Playground offers: chat endpoints the caller may query (CAN_QUERY or CAN_MANAGE), by name.
 * The API decides again on every request; this list only spares the user endpoints that would refuse them.
 */
export function chatEndpoints(endpoints: EndpointSummary[]): EndpointSummary[] {
  return endpoints
    .filter((e) => e.task === CHAT_TASK && (e.permission_level === "CAN_QUERY" || e.permission_level === "CAN_MANAGE"))
    .sort((a, b) => a.name.localeCompare(b.name));
}
