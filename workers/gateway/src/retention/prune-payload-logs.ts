import { PAYLOAD_LOG_PREFIX, STAGING_PREFIX } from "../payload-logs/message";

/** How much one run may do. */
export interface PayloadLogPruneLimits {
  /** R2 calls (list or delete); Workers allow 1 000 calls to Cloudflare services per invocation. */
  calls: number;
  /** Objects per listing, hence per delete call (R2 returns and deletes at most 1 000 at a time). */
  objectsPerList: number;
}

const DEFAULT_PAYLOAD_LOG_PRUNE_LIMITS: PayloadLogPruneLimits = { calls: 500, objectsPerList: 1000 };

/** `…/date=YYYY-MM-DD/`: a partition of one UTC day. */
const PARTITION = /\/date=(\d{4}-\d{2}-\d{2})\/$/;

export interface PayloadLogPruning {
  partitionsDeleted: number;
  objectsDeleted: number;
  /** False when the call budget ran out first; the next run carries on. */
  done: boolean;
}

class BudgetSpent extends Error {}

/**
 * Deletes payload logs older than `cutoff`: every object of a partition `payload-logs/<anything>/date=YYYY-MM-DD/`
 * whose UTC day ended before `cutoff` (so a record is kept at least the retention, at most a day longer), and
 * records staged under `payload-logs/_staged/` and uploaded before `cutoff` (their queue message never came;
 * the retention is at least a day, so a message still in flight keeps its record). Partitions are found by
 * listing with a delimiter, so the second path segment can be anything (endpoint name or id). At most
 * `limits.calls` R2 calls; endpoint prefixes are visited from a random one on, so when there are more than one
 * run can visit, successive runs do not all spend their budget on the same ones.
 */
export async function prunePayloadLogs(
  bucket: R2Bucket,
  cutoff: number,
  limits: PayloadLogPruneLimits = DEFAULT_PAYLOAD_LOG_PRUNE_LIMITS,
): Promise<PayloadLogPruning> {
  const result: PayloadLogPruning = { partitionsDeleted: 0, objectsDeleted: 0, done: false };
  let calls = 0;
  const call = <T>(op: () => Promise<T>): Promise<T> => {
    if (calls++ >= limits.calls) throw new BudgetSpent();
    return op();
  };
  const prefixesUnder = async (prefix: string): Promise<string[]> => {
    const prefixes: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(() => bucket.list({ prefix, delimiter: "/", cursor, limit: limits.objectsPerList }));
      prefixes.push(...page.delimitedPrefixes);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return prefixes;
  };
  const deleteObjects = async (keys: string[]) => {
    if (keys.length === 0) return;
    await call(() => bucket.delete(keys));
    result.objectsDeleted += keys.length;
  };
  /** Deletes everything under `prefix`: each listing returns the first objects still there. */
  const deletePartition = async (prefix: string) => {
    for (;;) {
      const page = await call(() => bucket.list({ prefix, limit: limits.objectsPerList }));
      await deleteObjects(page.objects.map((o) => o.key));
      if (!page.truncated) return;
    }
  };

  try {
    const cutoffDay = new Date(cutoff).toISOString().slice(0, 10);
    const endpointPrefixes = (await prefixesUnder(PAYLOAD_LOG_PREFIX)).filter((p) => p !== STAGING_PREFIX);
    const start =
      endpointPrefixes.length > 0 ? crypto.getRandomValues(new Uint32Array(1))[0]! % endpointPrefixes.length : 0;
    for (const endpointPrefix of [...endpointPrefixes.slice(start), ...endpointPrefixes.slice(0, start)]) {
      for (const partition of await prefixesUnder(endpointPrefix)) {
        const day = PARTITION.exec(partition)?.[1];
        if (day === undefined || day >= cutoffDay) continue;
        await deletePartition(partition);
        result.partitionsDeleted++;
      }
    }
    let cursor: string | undefined;
    do {
      const page = await call(() => bucket.list({ prefix: STAGING_PREFIX, cursor, limit: limits.objectsPerList }));
      await deleteObjects(page.objects.filter((o) => o.uploaded.getTime() < cutoff).map((o) => o.key));
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    result.done = true;
  } catch (error) {
    if (!(error instanceof BudgetSpent)) throw error;
  }
  return result;
}
