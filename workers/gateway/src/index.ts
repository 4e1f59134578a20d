import { app } from "./app";
import { handleDeploymentBatch } from "./endpoints/deploy";
import type { Env } from "./env";
import { handleUsageBatch } from "./serving/usage/usage-consumer";
import { handlePayloadLogBatch } from "./payload-logs/consumer";
import { handleDeadLetterBatch } from "./dead-letters/consumer";
import { runRetention } from "./retention/run-retention";

/**
 * Queue consumers by queue name (wrangler.toml `[[queues.consumers]]`): one line per queue. Each takes the
 * message type its queue's producers send (`never` here admits every one of them).
 */
const QUEUE_HANDLERS: Record<string, (batch: MessageBatch<never>, env: Env) => Promise<void>> = {
  "edgeserve-deployments": handleDeploymentBatch,
  "edgeserve-usage": handleUsageBatch,
  "edgeserve-payload-logs": handlePayloadLogBatch,
  "edgeserve-deployments-dlq": handleDeadLetterBatch,
  "edgeserve-usage-dlq": handleDeadLetterBatch,
  "edgeserve-payload-logs-dlq": handleDeadLetterBatch,
};

export default {
  fetch: app.fetch,
  queue: async (batch: MessageBatch<unknown>, env: Env) => {
    const handler = QUEUE_HANDLERS[batch.queue];
    // Throwing retries the batch (and after max_retries dead-letters it) instead of dropping it.
    if (!handler) throw new Error(`No consumer for queue '${batch.queue}'.`);
    // Only the gateway's own producers write to these queues, so a batch holds what its consumer expects.
    return handler(batch as MessageBatch<never>, env);
  },
  // The cron trigger of wrangler.toml: the retention job (retention/run-retention.ts).
  scheduled: async (controller: ScheduledController, env: Env) => {
    await runRetention(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env, unknown>;
