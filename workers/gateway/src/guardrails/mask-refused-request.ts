import type { LiveEndpoint } from "../endpoints/live-endpoint";
import { findPii } from "./find-pii";
import { guardrailsOf } from "./guardrails-of";
import { maskPii } from "./mask-pii";
import { rewriteRequestTexts } from "./request-text";

/**
 * A query body that was never sent on (refused by the task check, a rate limit, an unknown entity, a
 * guardrail…), as logs may keep it: with every piece of personal data masked whenever the endpoint's
 * input `pii` guardrail is MASK or BLOCK, so that a refusal never records what a query that went through
 * would have had masked.
 */
export function maskRefusedRequest(endpoint: LiveEndpoint, body: Record<string, unknown>): Record<string, unknown> {
  const behavior = guardrailsOf(endpoint).input?.pii?.behavior ?? "NONE";
  if (behavior === "NONE") return body;
  return rewriteRequestTexts(body, (text) => maskPii(text, findPii(text)));
}
