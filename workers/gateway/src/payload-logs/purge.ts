import { errors } from "@edgeserve/api";
import { openDatabase } from "@edgeserve/db";
import { findEndpointById } from "../endpoints/store";
import type { Env } from "../env";
import type { PayloadLogPurgeMessage } from "./message";
import { endpointLogPrefix, endpointStagingPrefix } from "./object-key";

/** R2 lists (and deletes) up to 1000 keys per call: each message clears one page of each prefix. */
const PAGE_SIZE = 1000;
/**
 * Once both prefixes are empty the purge looks once more, this much later: a consumer run that saw the
 * endpoint just before its deletion may still have been writing, or a query ending then staging a record.
 */
const FINAL_SWEEP_DELAY_S = 60;
/** A purge that finds its endpoint still there (the DELETE has not landed) looks again this often, then gives up. */
const EARLY_DELIVERY_RETRY_S = 10;
const MAX_EARLY_DELIVERIES = 3;

async function sendPurge(
  env: Env,
  endpointId: string,
  options: { finalSweep?: boolean; delaySeconds?: number } = {},
): Promise<void> {
  const body: PayloadLogPurgeMessage = { purge: { endpointId, ...(options.finalSweep ? { finalSweep: true } : {}) } };
  await env.PAYLOAD_LOGS.send(body, {
    contentType: "json",
    ...(options.delaySeconds ? { delaySeconds: options.delaySeconds } : {}),
  });
}

/**
 * Called by DELETE before the endpoint's row goes: the purge of its payload logs is on the queue before
 * anything is deleted, so it cannot be lost (and if it cannot be queued, nothing is deleted).
 */
export async function schedulePayloadLogPurge(env: Env, endpointId: string): Promise<void> {
  try {
    await sendPurge(env, endpointId);
  } catch {
    throw errors.unavailable(
      "Could not schedule the deletion of the endpoint's payload logs; nothing was deleted. Try again.",
      1,
    );
  }
}

/**
 * Deletes one page of a deleted endpoint's payload-log objects (`payload-logs/<id>/` and its staged
 * records), then queues itself again for the rest, and once both are empty for a final sweep.
 * Failures throw: the caller retries the message with backoff (then the DLQ keeps it).
 */
export async function purgePayloadLogs(
  message: Message<PayloadLogPurgeMessage>,
  env: Env,
  bucket: R2Bucket,
): Promise<void> {
  const { endpointId, finalSweep } = message.body.purge;
  if (await findEndpointById(openDatabase(env.DB), endpointId)) {
    if (message.attempts < MAX_EARLY_DELIVERIES) message.retry({ delaySeconds: EARLY_DELIVERY_RETRY_S });
    else message.ack(); // the DELETE failed after queueing this: the endpoint and its logs stay
    return;
  }
  let more = false;
  for (const prefix of [endpointLogPrefix(endpointId), endpointStagingPrefix(endpointId)]) {
    const page = await bucket.list({ prefix, limit: PAGE_SIZE });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
    more ||= page.truncated;
  }
  if (more) await sendPurge(env, endpointId, { finalSweep });
  else if (!finalSweep) await sendPurge(env, endpointId, { finalSweep: true, delaySeconds: FINAL_SWEEP_DELAY_S });
  message.ack();
}
