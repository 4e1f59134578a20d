import type { AiGateway, GuardrailParameters } from "@edgeserve/api";
import type { LiveEndpoint } from "../endpoints/live-endpoint";

/** The endpoint's `ai_gateway.guardrails` (stored as validated by the `aiGateway` schema). */
export function guardrailsOf(endpoint: LiveEndpoint): { input?: GuardrailParameters; output?: GuardrailParameters } {
  return (endpoint.row.aiGateway as AiGateway | null)?.guardrails ?? {};
}
