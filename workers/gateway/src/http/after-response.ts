/**
 * Resolves on a later turn of the event loop. Background work of a query (queue sends, payload-log
 * reads) waits for it inside waitUntil, so that the isolate hands the response to the runtime before
 * spending CPU on that work: waitUntil alone runs it in the same turn, ahead of the response's bytes.
 */
export function afterResponse(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
