import type { UsageEvent } from "./usage-event";

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * The usage events one query produces while it is being answered (its usage record, known before the
 * response for non-streamed calls), held so that they go on the queue together with the query's outcome
 * in ONE queue call once the response headers are out, instead of one call each. Events produced after
 * that (a stream's usage, known when it ends) are sent on their own.
 */
export interface UsageOutbox {
  events: UsageEvent[];
  /** False once the query's outcome has been sent: later events cannot join it. */
  open: boolean;
}

export function openUsageOutbox(): UsageOutbox {
  return { events: [], open: true };
}

// The query path hands entity handlers a waitUntil function (QueryContext.waitUntil) and they pass it to
// recordUsage; that function is how a usage record finds its query's outbox without threading it through
// every handler.
const outboxes = new WeakMap<WaitUntil, UsageOutbox>();

/** A waitUntil for the query path whose function also identifies the query's outbox (see outboxOf). */
export function waitUntilWithOutbox(outbox: UsageOutbox | undefined, waitUntil: WaitUntil): WaitUntil {
  const fn: WaitUntil = (promise) => waitUntil(promise);
  if (outbox) outboxes.set(fn, outbox);
  return fn;
}

/** The outbox behind a waitUntil made by waitUntilWithOutbox, if it still takes events. */
export function openOutboxOf(waitUntil: WaitUntil): UsageOutbox | undefined {
  const outbox = outboxes.get(waitUntil);
  return outbox?.open ? outbox : undefined;
}

/** Closes the outbox and returns what it held. */
export function drainUsageOutbox(outbox: UsageOutbox): UsageEvent[] {
  outbox.open = false;
  const events = outbox.events;
  outbox.events = [];
  return events;
}
