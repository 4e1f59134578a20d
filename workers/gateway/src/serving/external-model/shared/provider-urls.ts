import type { ProviderName } from "@edgeserve/api";

let parsed: { raw: string; map: Partial<Record<ProviderName | string, string>> } | null = null;

/**
 * A provider's base URL: its public API, unless `EDGESERVE_PROVIDER_BASE_URLS` (JSON, e.g.
 * `{"anthropic":"http://127.0.0.1:9001"}`) points it elsewhere — for tests against local mocks and
 * for self-hosted proxies. The endpoint config keeps exactly Databricks' shape either way.
 */
export function providerBaseUrl(
  env: { EDGESERVE_PROVIDER_BASE_URLS?: string },
  provider: ProviderName | string,
  publicUrl: string,
): string {
  const raw = env.EDGESERVE_PROVIDER_BASE_URLS ?? "";
  if (!raw) return publicUrl;
  if (parsed?.raw !== raw) {
    try {
      parsed = { raw, map: JSON.parse(raw) as Record<string, string> };
    } catch {
      parsed = { raw, map: {} };
    }
  }
  return (parsed.map[provider] ?? publicUrl).replace(/\/+$/, "");
}
