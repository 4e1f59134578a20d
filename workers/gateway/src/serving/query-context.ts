import type { Database } from "@edgeserve/db";
import type { LiveEndpoint } from "../endpoints/live-endpoint";
import type { StoredServedEntity } from "../endpoints/stored-config";
import type { Env } from "../env";
import type { Principal } from "../identity/principal";

/**
 * Everything an entity kind needs to answer one query: what answerQuery knows of the route's Query
 * (serving/query.ts) and the request's handles. Guardrails build one too, for the endpoints they ask,
 * whose queries have no route and so no Query.
 */
export interface QueryContext {
  env: Env;
  db: Database;
  endpoint: LiveEndpoint;
  entity: StoredServedEntity;
  principal: Principal;
  requestId: string;
  /** The parsed JSON body of the query. */
  body: Record<string, unknown>;
  /** A `text/csv` scoring body (custom models only); `body` is then empty. */
  csv?: string;
  /** Fires when the client goes away, so upstream work is cancelled. */
  signal?: AbortSignal;
  /** Keeps background work (usage records, logs) alive after the response is sent. */
  waitUntil(promise: Promise<unknown>): void;
}
