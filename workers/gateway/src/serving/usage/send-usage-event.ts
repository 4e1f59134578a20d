import type { UsageEvent } from "./usage-event";

/**
 * Puts one event on the usage queue. A failed send is tried once more; if that fails too the
 * whole event is logged as an error line (Workers Logs keep it), so it is never lost silently.
 * Never throws: usage delivery must not fail the query it describes.
 */
export async function sendUsageEvent(queue: Queue<UsageEvent> | undefined, event: UsageEvent): Promise<void> {
  if (!queue) {
    console.error(JSON.stringify({ type: "usage_event_undelivered", reason: "USAGE_EVENTS queue binding is not configured", event }));
    return;
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await queue.send(event, { contentType: "json" });
      return;
    } catch (error) {
      lastError = error;
    }
  }
  console.error(JSON.stringify({ type: "usage_event_undelivered", reason: lastError instanceof Error ? lastError.message : String(lastError), event }));
}
