/** Queue message asking the deployment consumer to roll out `configVersion` of an endpoint. */
export interface DeploymentMessage {
  endpointId: string;
  configVersion: number;
}
