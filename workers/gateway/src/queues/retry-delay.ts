/** Longest wait before a failed queue message is redelivered (its queue's max_retries then moves it to the DLQ). */
export const MAX_RETRY_DELAY_S = 300;

/**
 * A queue's backoff: the delay in seconds before redelivering a message whose `attempts`-th delivery
 * failed (`message.attempts`, from 1) — `firstDelayS`, then twice as long each time, capped at 5 minutes.
 */
export function retryBackoff(firstDelayS: number): (attempts: number) => number {
  return (attempts) => Math.min(MAX_RETRY_DELAY_S, firstDelayS * 2 ** Math.max(0, attempts - 1));
}
