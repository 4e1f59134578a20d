import type { Env } from "../env";
import type { DeploymentMessage } from "./deployment-message";

export async function handleDeploymentBatch(batch: MessageBatch<DeploymentMessage>, _env: Env): Promise<void> {
  for (const message of batch.messages) message.ack();
}
