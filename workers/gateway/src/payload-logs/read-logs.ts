import { type PayloadLogRecord, errors, payloadLogRecord } from "@edgeserve/api";
import { utcDate } from "./build-record";
import { gunzipJsonLines } from "./gzip-jsonl";
import { partitionPrefix, timeSpanOfKey } from "./object-key";

const DAY_MS = 86_400_000;

/** Where a page ended: the (time, request id) of its last record. Records sort by that pair. */
export interface PageCursor {
  t: number;
  id: string;
}

export interface PayloadLogRange {
  startMs: number;
  /** Exclusive. */
  endMs: number;
  maxResults: number;
  after?: PageCursor;
  /** Keeps only the records it accepts (a search). With it, one call opens at most `maxObjects` objects. */
  filter?: (record: PayloadLogRecord) => boolean;
  maxObjects?: number;
}

export function encodePageToken(cursor: PageCursor): string {
  return btoa(JSON.stringify(cursor)).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

export function decodePageToken(token: string): PageCursor {
  try {
    const cursor = JSON.parse(atob(token.replaceAll("-", "+").replaceAll("_", "/")));
    if (Number.isSafeInteger(cursor?.t) && typeof cursor?.id === "string") return { t: cursor.t, id: cursor.id };
  } catch {
    // fall through to the error below
  }
  throw errors.invalid("Invalid page_token: pass the next_page_token of a previous response unchanged.");
}

function compare(a: PayloadLogRecord, b: PayloadLogRecord | PageCursor): number {
  const [bt, bid] = "t" in b ? [b.t, b.id] : [b.timestamp_ms, b.databricks_request_id];
  return a.timestamp_ms - bt || (a.databricks_request_id < bid ? -1 : a.databricks_request_id > bid ? 1 : 0);
}

/**
 * The payload records of the endpoint with id `endpointId`, with `startMs <= timestamp_ms < endMs` (after the cursor),
 * oldest first.
 * Day partitions are read in order and only objects whose key's time span overlaps the range are opened.
 * A record written twice (a queue message redelivered after its write) is returned once.
 * A search (`filter`) stops after `maxObjects` objects: the page then holds the matches before the first object
 * left unread (maybe none) and its cursor resumes there, so a call's work stays bounded however rare the matches.
 */
export async function readPayloadLogs(
  bucket: R2Bucket,
  endpointId: string,
  range: PayloadLogRange,
): Promise<{ records: PayloadLogRecord[]; next?: PageCursor }> {
  const from = Math.max(range.startMs, range.after?.t ?? 0);
  const found = new Map<string, PayloadLogRecord>();
  let opened = 0;
  /** The first time not fully read when the object budget ran out. */
  let unreadFrom: number | undefined;
  days: for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < range.endMs; day += DAY_MS) {
    // Keys sort by their first timestamp (zero-padded), so objects are opened in time order.
    for (const key of await keysOfDay(bucket, partitionPrefix(endpointId, utcDate(day)))) {
      const span = timeSpanOfKey(key);
      if (!span || span.lastMs < from || span.firstMs >= range.endMs) continue;
      // Stopping only where the next call starts later than this one guarantees progress.
      if (range.filter && opened >= (range.maxObjects ?? Number.POSITIVE_INFINITY) && span.firstMs > from) {
        unreadFrom = span.firstMs;
        break days;
      }
      const object = await bucket.get(key);
      opened++;
      if (!object) continue;
      for (const line of await gunzipJsonLines(object.body)) {
        const parsed = payloadLogRecord.safeParse(line);
        if (!parsed.success) continue;
        const record = parsed.data;
        if (record.timestamp_ms < range.startMs || record.timestamp_ms >= range.endMs) continue;
        if (range.after && compare(record, range.after) <= 0) continue;
        if (range.filter && !range.filter(record)) continue;
        found.set(`${record.timestamp_ms}/${record.databricks_request_id}`, record);
      }
    }
    // Later days hold only later records: once a page is full, the rest can wait for the next page.
    if (found.size > range.maxResults) break;
  }
  const complete = [...found.values()]
    .filter((r) => unreadFrom === undefined || r.timestamp_ms < unreadFrom)
    .sort(compare);
  const records = complete.slice(0, range.maxResults);
  const last = records.at(-1);
  if (complete.length > range.maxResults && last)
    return { records, next: { t: last.timestamp_ms, id: last.databricks_request_id } };
  // Resume at the first unread time: every record before it was seen; none at or after it is skipped.
  return unreadFrom === undefined ? { records } : { records, next: { t: unreadFrom, id: "" } };
}

async function keysOfDay(bucket: R2Bucket, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}
