import type { UsageEvent } from "./usage-event";

/**
 * Puts events on the usage queue in one call (`send` for one, `sendBatch` for several). A failed call
 * is tried once more; if that fails too each event is logged as an error line (Workers Logs keep it),
 * so none is lost silently. Never throws: usage delivery must not fail the query it describes.
 */
export async function sendUsageEvents(queue: Queue<UsageEvent> | undefined, events: UsageEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (!queue) {
    for (const event of events) console.error(JSON.stringify({ type: "usage_event_undelivered", reason: "USAGE_EVENTS queue binding is not configured", event }));
    return;
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      if (events.length === 1) await queue.send(events[0]!, { contentType: "json" });
      else await queue.sendBatch(events.map((body) => ({ body, contentType: "json" as const })));
      return;
    } catch (error) {
      lastError = error;
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  for (const event of events) console.error(JSON.stringify({ type: "usage_event_undelivered", reason, event }));
}

/** Puts one event on the usage queue (see sendUsageEvents). */
export function sendUsageEvent(queue: Queue<UsageEvent> | undefined, event: UsageEvent): Promise<void> {
  return sendUsageEvents(queue, [event]);
}
