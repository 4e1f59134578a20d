import type { QueryContext } from "../serving/query-context";

/** What guardrails that ask other endpoints (safety, valid_topics) need of the query being guarded. */
export type GuardrailScope = Pick<QueryContext, "env" | "db" | "principal" | "requestId" | "signal" | "waitUntil">;

/** Only the scope, so an evaluator query never inherits the guarded query's endpoint, body or CSV. */
export function guardrailScope(ctx: QueryContext): GuardrailScope {
  const { env, db, principal, requestId, signal, waitUntil } = ctx;
  return { env, db, principal, requestId, signal, waitUntil };
}
