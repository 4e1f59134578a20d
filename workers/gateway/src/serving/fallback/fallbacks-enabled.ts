/** `ai_gateway.fallback_config.enabled` of a stored endpoint row (off unless set to true). */
export function fallbacksEnabled(aiGateway: unknown): boolean {
  const config = (aiGateway as { fallback_config?: { enabled?: unknown } } | null | undefined)?.fallback_config;
  return config?.enabled === true;
}
