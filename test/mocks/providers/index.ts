import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** A running provider mock. */
export interface ProviderMock {
  /** The key in EDGESERVE_PROVIDER_BASE_URLS, e.g. "anthropic" (one mock may serve several keys). */
  providers: string[];
  /** Base URL to give the gateway for those providers, e.g. http://127.0.0.1:4567 */
  url: string;
  close(): Promise<void>;
}

/** Starts every `<provider>.ts` mock in this folder. */
export async function startProviderMocks(): Promise<ProviderMock[]> {
  const dir = import.meta.dirname;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.endsWith(".test.ts") && !f.startsWith("_"));
  const mocks: ProviderMock[] = [];
  for (const file of files.sort()) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as {
      default?: () => Promise<ProviderMock>;
    };
    if (typeof module.default === "function") mocks.push(await module.default());
  }
  return mocks;
}

/** `{"anthropic":"http://127.0.0.1:…", …}` for the gateway's EDGESERVE_PROVIDER_BASE_URLS. */
export function baseUrlMap(mocks: ProviderMock[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const mock of mocks) for (const p of mock.providers) map[p] = mock.url;
  return map;
}
