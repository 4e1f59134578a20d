import type { DeadLetterSourceQueue } from "@edgeserve/api";
import type { Env } from "../env";

/** Each dead-letter queue (wrangler.toml `dead_letter_queue`) and the queue whose messages it receives. */
export const SOURCE_OF_DEAD_LETTER_QUEUE: Readonly<Record<string, DeadLetterSourceQueue>> = {
  "edgeserve-deployments-dlq": "edgeserve-deployments",
  "edgeserve-usage-dlq": "edgeserve-usage",
  "edgeserve-payload-logs-dlq": "edgeserve-payload-logs",
};

export function deadLetterQueueOf(queue: DeadLetterSourceQueue): string {
  return `${queue}-dlq`;
}

/** The producer binding a replay sends a message back through. */
const PRODUCERS: Record<DeadLetterSourceQueue, (env: Env) => Queue<unknown>> = {
  "edgeserve-deployments": (env) => env.DEPLOYMENTS as Queue<unknown>,
  "edgeserve-usage": (env) => env.USAGE_EVENTS as Queue<unknown>,
  "edgeserve-payload-logs": (env) => env.PAYLOAD_LOGS as Queue<unknown>,
};

export function producerOf(env: Env, queue: DeadLetterSourceQueue): Queue<unknown> {
  return PRODUCERS[queue](env);
}
