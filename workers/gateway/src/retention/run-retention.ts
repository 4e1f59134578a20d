import type { Env } from "../env";
import { pruneDeletedEndpointTotals } from "./prune-deleted-endpoint-totals";
import { prunePayloadLogs } from "./prune-payload-logs";
import { pruneUsageRows } from "./prune-usage-rows";
import { cutoffMs, retentionSettings } from "./retention-settings";

/**
 * The retention job, run by the cron trigger of wrangler.toml (hourly): prunes raw usage rows and payload
 * logs older than their retention settings, and the totals and hourly usage of deleted endpoints. `now` is the
 * run's scheduled time. Each part runs even if another fails; a failure is logged and then thrown, so the
 * run shows as failed in the Workers dashboard, and the next run retries. Each part is bounded per run and
 * finishes what is left in later runs. Logged: one `retention_run` line with what was deleted.
 */
export async function runRetention(env: Env, now: number): Promise<Record<string, unknown>> {
  const settings = (() => {
    try {
      return retentionSettings(env);
    } catch (error) {
      console.error(JSON.stringify({ type: "retention_failed", part: "settings", message: messageOf(error) }));
      throw error;
    }
  })();
  const parts = {
    usageRows: () => pruneUsageRows(env.DB, cutoffMs(now, settings.usageDays)),
    deletedEndpointTotals: () => pruneDeletedEndpointTotals(env.DB),
    payloadLogs: () => prunePayloadLogs(env.ARTIFACTS, cutoffMs(now, settings.payloadLogDays)),
  };
  const run: Record<string, unknown> = { type: "retention_run", scheduledTime: now, ...settings };
  const failures: unknown[] = [];
  for (const [part, prune] of Object.entries(parts)) {
    try {
      run[part] = await prune();
    } catch (error) {
      failures.push(error);
      console.error(JSON.stringify({ type: "retention_failed", part, message: messageOf(error) }));
    }
  }
  console.log(JSON.stringify(run));
  if (failures.length > 0) throw new AggregateError(failures, "retention run failed; the next run retries");
  return run;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
