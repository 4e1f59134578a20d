import type { Env } from "../env";
import { retryBackoff } from "../queues/retry-delay";
import { keepDeadLetter } from "./dead-letter-store";
import { SOURCE_OF_DEAD_LETTER_QUEUE } from "./source-queues";

/** Retry delay after the n-th failed attempt to keep a message: 5 s, 10 s, 20 s … capped at 5 minutes. */
export const retryDelaySeconds = retryBackoff(5);

/**
 * Consumer of the dead-letter queues (`edgeserve-usage-dlq`, `edgeserve-payload-logs-dlq`,
 * `edgeserve-deployments-dlq`): keeps each message in R2 until an admin replays or deletes it
 * (`/api/2.0/edgeserve/dead-letters`), where a dead-letter queue alone would drop it after its
 * retention period. A message is acked only once kept; a failed write is retried with backoff. Each
 * kept message is logged as a `dead_letter_kept` warning (ids and counts, no body), for alerting.
 */
export async function handleDeadLetterBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  bucket: R2Bucket = env.ARTIFACTS,
): Promise<void> {
  const queue = SOURCE_OF_DEAD_LETTER_QUEUE[batch.queue];
  // Throwing leaves the batch on its queue (index.ts routes only dead-letter queues here).
  if (!queue) throw new Error(`'${batch.queue}' is not a dead-letter queue.`);
  for (const message of batch.messages) {
    try {
      const kept = await keepDeadLetter(bucket, queue, message);
      message.ack();
      console.warn(
        JSON.stringify({
          type: "dead_letter_kept",
          queue,
          id: kept.id,
          message_id: message.id,
          dead_letter_count: kept.dead_letter_count,
          summary: kept.summary,
        }),
      );
    } catch (error) {
      console.error(
        JSON.stringify({
          type: "dead_letter_not_kept",
          queue,
          message_id: message.id,
          attempts: message.attempts,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
