import type { Database } from "@edgeserve/db";
import type { Context } from "hono";
import type { AppEnv, Env } from "../env";
import type { Principal } from "../identity/principal";

/** What guardrails that ask other endpoints (safety, valid_topics) need of the request being guarded. */
export interface GuardrailScope {
  env: Env;
  db: Database;
  principal: Principal;
  requestId: string;
  signal?: AbortSignal;
  waitUntil(promise: Promise<unknown>): void;
}

export function guardrailScope(c: Context<AppEnv>): GuardrailScope {
  return {
    env: c.env,
    db: c.get("db"),
    principal: c.get("principal"),
    requestId: c.get("requestId"),
    signal: c.req.raw.signal,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  };
}
