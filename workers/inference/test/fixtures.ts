import { env as cloudflareEnv } from "cloudflare:workers";
import type { InferenceEnv } from "../src/env";

/** The worker's bindings plus FIXTURES: files of test/fixtures, served from Node (see vitest.config.ts). */
const env = cloudflareEnv as unknown as InferenceEnv & { FIXTURES: Fetcher };

/** Copies fixture files (paths relative to test/fixtures) into R2 under `prefix`. */
export async function putFixtures(prefix: string, files: Record<string, string>): Promise<void> {
  for (const [key, fixture] of Object.entries(files)) {
    const response = await env.FIXTURES.fetch(`https://fixtures/${fixture}`);
    if (!response.ok) throw new Error(`fixture ${fixture}: ${response.status}`);
    await env.ARTIFACTS.put(prefix + key, await response.arrayBuffer());
  }
}

export async function fixtureJson<T>(fixture: string): Promise<T> {
  const response = await env.FIXTURES.fetch(`https://fixtures/${fixture}`);
  if (!response.ok) throw new Error(`fixture ${fixture}: ${response.status}`);
  return (await response.json()) as T;
}

/** POSTs a PredictRequest to the worker under test. */
export async function predict(body: unknown): Promise<{ status: number; body: any }> {
  const { fetchWorker } = await import("./fetch-worker");
  const response = await fetchWorker("https://inference/v1/predict", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
