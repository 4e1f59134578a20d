import { app } from "./app";
import type { DeploymentMessage } from "./endpoints/deployment-message";
import { handleDeploymentBatch } from "./endpoints/deploy";
import type { Env } from "./env";

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<DeploymentMessage>, env: Env) => handleDeploymentBatch(batch, env),
} satisfies ExportedHandler<Env, DeploymentMessage>;
