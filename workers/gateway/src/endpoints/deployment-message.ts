/** Queue message asking the deployment consumer to roll out `configVersion` of an endpoint. */
export interface DeploymentMessage {
  endpointId: string;
  configVersion: number;
}

/** Whether a queue body is a deployment message (a replayed or hand-sent message may not be). */
export function isDeploymentMessage(body: unknown): body is DeploymentMessage {
  if (typeof body !== "object" || body === null) return false;
  const { endpointId, configVersion } = body as Record<string, unknown>;
  return typeof endpointId === "string" && typeof configVersion === "number";
}
