/** `ai_gateway.usage_tracking_config.enabled` of a stored endpoint row (off unless set to true). */
export function usageTrackingEnabled(aiGateway: unknown): boolean {
  const config = (aiGateway as { usage_tracking_config?: { enabled?: unknown } } | null | undefined)
    ?.usage_tracking_config;
  return config?.enabled === true;
}
