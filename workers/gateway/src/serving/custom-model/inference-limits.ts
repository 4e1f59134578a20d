import type { InferenceLimits } from "@edgeserve/mlflow";

/**
 * The inference worker's limits (GET /v1/limits over the INFERENCE binding). Throws when the worker does
 * not answer them: a deployment then retries (the worker may be deploying too) before it fails.
 */
export async function inferenceLimits(inference: Fetcher): Promise<InferenceLimits> {
  const response = await inference.fetch("https://inference/v1/limits");
  const body: unknown = await response.json().catch(() => undefined);
  const bytes = (body as Partial<InferenceLimits> | undefined)?.modelMemoryBytes;
  if (!response.ok || typeof bytes !== "number")
    throw new Error(
      `The inference worker answered GET /v1/limits with HTTP ${response.status} and no modelMemoryBytes.`,
    );
  return { modelMemoryBytes: bytes };
}
