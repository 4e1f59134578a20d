import { sha256Hex } from "../hex";
import { PAYLOAD_LOG_PREFIX, STAGING_PREFIX } from "./message";

/** `payload-logs/<endpoint id>/`: every written record of one endpoint (what deleting it purges). */
export function endpointLogPrefix(endpointId: string): string {
  return `${PAYLOAD_LOG_PREFIX}${endpointId}/`;
}

/** `payload-logs/_staged/<endpoint id>/`: the endpoint's records waiting in R2 for the consumer. */
export function endpointStagingPrefix(endpointId: string): string {
  return `${STAGING_PREFIX}${endpointId}/`;
}

/** `payload-logs/<endpoint id>/date=YYYY-MM-DD/`: one partition per endpoint and UTC day. */
export function partitionPrefix(endpointId: string, date: string): string {
  return `${endpointLogPrefix(endpointId)}date=${date}/`;
}

const TS_DIGITS = 15;

/**
 * `<partition><first ms>-<last ms>-<batch hash>.jsonl.gz`. The time span lets a reader skip objects
 * outside its range without opening them; the hash (of the queue message ids in the object) makes a
 * redelivered identical group overwrite its own object instead of adding a copy.
 */
export function payloadObjectKey(
  endpointId: string,
  date: string,
  firstMs: number,
  lastMs: number,
  batchHash: string,
): string {
  return `${partitionPrefix(endpointId, date)}${pad(firstMs)}-${pad(lastMs)}-${batchHash}.jsonl.gz`;
}

/** The time span encoded in an object key, or null for keys not written by the consumer. */
export function timeSpanOfKey(key: string): { firstMs: number; lastMs: number } | null {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const match = /^(\d+)-(\d+)-[0-9a-f]+\.jsonl\.gz$/.exec(name);
  return match ? { firstMs: Number(match[1]), lastMs: Number(match[2]) } : null;
}

function pad(ms: number): string {
  return String(ms).padStart(TS_DIGITS, "0");
}

export async function batchHash(ids: string[]): Promise<string> {
  return (await sha256Hex([...ids].sort().join("\n"))).slice(0, 24);
}
