import type { Env } from "../env";
import type { DeploymentMessage } from "./deployment-message";

/** Hands a config version to the deployment consumer (see deploy.ts). */
export async function enqueueDeployment(env: Env, message: DeploymentMessage): Promise<void> {
  await env.DEPLOYMENTS.send(message, { contentType: "json" });
}
