import { type Database, endpoints } from "@edgeserve/db";
import { inArray } from "drizzle-orm";
import type { LegacyPayloadLogMessage, PayloadLogMessage } from "./message";

/** D1 binds at most 100 parameters per statement. */
const MAX_PARAMS = 90;

type Queued = PayloadLogMessage | LegacyPayloadLogMessage;

interface EndpointIdentity {
  id: string;
  name: string;
  createdAt: number;
}

/**
 * The id of the endpoint each queued record is written under, or null when that endpoint no longer
 * exists (the record is dropped: its endpoint's logs are being purged, and no route reads them).
 * A legacy record, queued under the endpoint's name, belongs to the endpoint of that name only if
 * that endpoint already existed when the query ran: a deleted endpoint's record never lands in a later
 * endpoint that took its name.
 */
export async function ownersOf(db: Database, items: Queued[]): Promise<(string | null)[]> {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const item of items) {
    if ("endpointId" in item) ids.add(item.endpointId);
    else names.add(item.endpoint);
  }
  const byId = new Map((await select(db, "id", [...ids])).map((e) => [e.id, e]));
  const byName = new Map((await select(db, "name", [...names])).map((e) => [e.name, e]));
  return items.map((item) => {
    if ("endpointId" in item) return byId.has(item.endpointId) ? item.endpointId : null;
    const endpoint = byName.get(item.endpoint);
    return endpoint && endpoint.createdAt <= timestampOf(item) ? endpoint.id : null;
  });
}

function timestampOf(item: Queued): number {
  return "record" in item ? item.record.timestamp_ms : item.staged.timestamp_ms;
}

async function select(db: Database, column: "id" | "name", values: string[]): Promise<EndpointIdentity[]> {
  const found: EndpointIdentity[] = [];
  for (let i = 0; i < values.length; i += MAX_PARAMS) {
    const chunk = values.slice(i, i + MAX_PARAMS);
    found.push(
      ...(await db
        .select({ id: endpoints.id, name: endpoints.name, createdAt: endpoints.createdAt })
        .from(endpoints)
        .where(inArray(endpoints[column], chunk))),
    );
  }
  return found;
}
