import type { ProviderName } from "@edgeserve/api";
import { customProvider } from "./custom";
import type { ExternalProvider } from "./provider";

/** Providers this gateway can call. Adding one is a folder beside `custom/` and a line here. */
export const PROVIDER_IMPLEMENTATIONS: Partial<Record<ProviderName, ExternalProvider>> = {
  custom: customProvider,
};

export function isProviderServed(provider: ProviderName): boolean {
  return PROVIDER_IMPLEMENTATIONS[provider] !== undefined;
}
