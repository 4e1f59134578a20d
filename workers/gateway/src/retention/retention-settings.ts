import type { Env } from "../env";

const DAY_MS = 86_400_000;

/**
 * A retention setting: its variable, its default, and the shortest value allowed. Raw usage rows are
 * what makes a redelivered usage event a no-op (their ids), so they must outlive any message that can
 * still arrive: a queue keeps a message at most 14 days, its dead-letter queue 14 more, hence 30.
 * Payload logs: a day, so a record staged in R2 for a queue message in flight is never taken from it.
 */
const SETTINGS = {
  usageDays: { variable: "EDGESERVE_USAGE_RETENTION_DAYS", defaultDays: 90, minDays: 30 },
  payloadLogDays: { variable: "EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS", defaultDays: 30, minDays: 1 },
} as const;

export interface RetentionSettings {
  /** Raw `usage_records` and `query_outcomes` rows older than this are deleted (totals and hourly usage stay). */
  usageDays: number;
  /** Payload-log partitions (UTC days) and staged records older than this are deleted. */
  payloadLogDays: number;
}

/**
 * Reads the retention settings. A value that is not a whole number of days at or above the minimum is
 * refused, not replaced by the default: a typo must not delete data its operator meant to keep.
 */
export function retentionSettings(
  env: Pick<Env, "EDGESERVE_USAGE_RETENTION_DAYS" | "EDGESERVE_PAYLOAD_LOG_RETENTION_DAYS">,
): RetentionSettings {
  const read = ({ variable, defaultDays, minDays }: (typeof SETTINGS)[keyof typeof SETTINGS]) => {
    const raw = env[variable]?.trim();
    if (!raw) return defaultDays;
    if (!/^\d{1,6}$/.test(raw) || Number(raw) < minDays)
      throw new Error(
        `${variable} must be a whole number of days, at least ${minDays} (got '${raw}'); nothing was pruned.`,
      );
    return Number(raw);
  };
  return { usageDays: read(SETTINGS.usageDays), payloadLogDays: read(SETTINGS.payloadLogDays) };
}

/** The moment `days` days before `now`: what is older goes. */
export function cutoffMs(now: number, days: number): number {
  return now - days * DAY_MS;
}
