import { app } from "./app";
import type { DeploymentMessage } from "./endpoints/deployment-message";
import { handleDeploymentBatch } from "./endpoints/deploy";
import type { Env } from "./env";
import type { PayloadLogMessage } from "./payload-logs/message";
import { handlePayloadLogBatch } from "./payload-logs/consumer";

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<DeploymentMessage>, env: Env) => {
    if (batch.queue === "edgeserve-payload-logs") return handlePayloadLogBatch(batch as unknown as MessageBatch<PayloadLogMessage>, env);
    return handleDeploymentBatch(batch, env);
  },
} satisfies ExportedHandler<Env, DeploymentMessage>;
