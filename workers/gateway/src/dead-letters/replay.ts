import {
  type DeadLetterSourceQueue,
  MAX_DEAD_LETTERS_PER_REPLAY,
  type ReplayDeadLettersResponse,
} from "@edgeserve/api";
import type { Env } from "../env";
import { deadLetterKey, listDeadLetters, readDeadLetter } from "./dead-letter-store";
import { producerOf } from "./source-queues";

/**
 * Sends a dead letter back to the queue it failed on, then removes it; false if there is none. If the
 * send fails it throws and the dead letter stays. Replaying is safe: every consumer is idempotent (usage
 * rows keyed by event id, payload-log objects de-duplicated on read, deployments re-run only while their
 * config version is still the one being deployed).
 */
export async function replayDeadLetter(
  env: Env,
  bucket: R2Bucket,
  queue: DeadLetterSourceQueue,
  id: string,
): Promise<boolean> {
  const kept = await readDeadLetter(bucket, queue, id);
  if (!kept) return false;
  await producerOf(env, queue).send(kept.body, { contentType: "json" });
  await bucket.delete(deadLetterKey(queue, id));
  return true;
}

/**
 * Replays the first MAX_DEAD_LETTERS_PER_REPLAY dead letters (of one queue, or all); `has_more` says whether others are
 * left.
 */
export async function replayDeadLetters(
  env: Env,
  bucket: R2Bucket,
  queue?: DeadLetterSourceQueue,
): Promise<ReplayDeadLettersResponse> {
  const page = await listDeadLetters(bucket, { ...(queue ? { queue } : {}), limit: MAX_DEAD_LETTERS_PER_REPLAY });
  const outcomes = await Promise.allSettled(page.deadLetters.map((d) => replayDeadLetter(env, bucket, d.queue, d.id)));
  const result: ReplayDeadLettersResponse = { replayed: [], failed: [], has_more: page.cursor !== undefined };
  outcomes.forEach((outcome, i) => {
    const { queue: q, id } = page.deadLetters[i]!;
    if (outcome.status === "rejected")
      result.failed.push({
        queue: q,
        id,
        message: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason),
      });
    // false: replayed or deleted by a concurrent call since it was listed.
    else if (outcome.value) result.replayed.push({ queue: q, id });
  });
  return result;
}
