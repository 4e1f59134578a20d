import { z } from "zod";

/**
 * The queues whose failed messages are kept as dead letters (each through its `<queue>-dlq`), named as the
 * queue a replay sends them back to.
 */
export const DEAD_LETTER_SOURCE_QUEUES = [
  "edgeserve-deployments",
  "edgeserve-usage",
  "edgeserve-payload-logs",
] as const;
const deadLetterSourceQueue = z.enum(DEAD_LETTER_SOURCE_QUEUES);
export type DeadLetterSourceQueue = z.infer<typeof deadLetterSourceQueue>;

/**
 * A dead letter's id: the first 128 bits of the SHA-256 of its body, in hex (the same message always gets the same id).
 */
const deadLetterId = z.string().regex(/^[0-9a-f]{32}$/, "must be a dead letter id from the list (32 hex characters)");

const MAX_DEAD_LETTER_RESULTS = 1000;
export const DEFAULT_DEAD_LETTER_RESULTS = 100;
/** One replay call re-sends at most this many dead letters (each is a read, a send and a delete). */
export const MAX_DEAD_LETTERS_PER_REPLAY = 25;

/** GET /api/2.0/edgeserve/dead-letters query string. */
export const listDeadLettersQuery = z.strictObject({
  queue: deadLetterSourceQueue.optional().describe("Only the dead letters of this queue."),
  max_results: z
    .string()
    .regex(/^\d{1,4}$/, "max_results must be an integer")
    .transform(Number)
    .pipe(
      z.number().int().min(1).max(MAX_DEAD_LETTER_RESULTS, `max_results must be at most ${MAX_DEAD_LETTER_RESULTS}`),
    )
    .optional()
    .describe(`1–${MAX_DEAD_LETTER_RESULTS}, default ${DEFAULT_DEAD_LETTER_RESULTS}.`),
  page_token: z.string().min(1).max(1024).optional(),
});

/** One kept message, described without its body (which may hold payloads, prompts or user names). */
export const deadLetter = z.strictObject({
  /** The queue it failed on, and where a replay sends it. */
  queue: deadLetterSourceQueue,
  dead_letter_queue: z.string(),
  id: z.string(),
  /** The queue's id of the (latest) message that carried it to the dead-letter queue. */
  message_id: z.string(),
  /** When it reached the dead-letter queue (after the queue's max_retries + 1 failed deliveries), epoch ms. */
  first_failed_at: z.number().int(),
  /**
   * When the same body last reached the dead-letter queue, epoch ms (a duplicate delivery, or a copy sent again before
   * this one was replayed).
   */
  last_failed_at: z.number().int(),
  /**
   * How many times this body reached the dead-letter queue while kept. A replay removes it; if it fails again it comes
   * back, under the same id, counted anew.
   */
  dead_letter_count: z.number().int(),
  /** Size of the body as JSON, in bytes. */
  size_bytes: z.number().int(),
  /** What it carries (counts, ids), never payload text. */
  summary: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetter>;

export const listDeadLettersResponse = z.strictObject({
  dead_letters: z.array(deadLetter),
  /** Pass as page_token (with the same queue) for the next page; absent on the last page. */
  next_page_token: z.string().optional(),
});
export type ListDeadLettersResponse = z.infer<typeof listDeadLettersResponse>;

/** POST /api/2.0/edgeserve/dead-letters/replay: every dead letter, or one queue's. */
export const replayDeadLettersRequest = z.strictObject({
  queue: deadLetterSourceQueue.optional().describe("Only this queue's dead letters; all queues' when left out."),
});

/** A dead letter's address in path parameters. */
export const deadLetterRef = z.strictObject({ queue: deadLetterSourceQueue, dead_letter_id: deadLetterId });

const replayedRef = z.strictObject({ queue: deadLetterSourceQueue, id: z.string() });
export const replayDeadLettersResponse = z.strictObject({
  /** Sent back to their queue and removed from the dead letters. */
  replayed: z.array(replayedRef),
  /** Not sent (kept as dead letters), with why. */
  failed: z.array(replayedRef.extend({ message: z.string() })),
  /** More dead letters were left for another call (a call replays at most MAX_DEAD_LETTERS_PER_REPLAY). */
  has_more: z.boolean(),
});
export type ReplayDeadLettersResponse = z.infer<typeof replayDeadLettersResponse>;
