// Types for publish-model.mjs (imported by the TypeScript CLI).
export declare const PUBLISH_DEFAULTS: { partSizeMib: number; multipartThresholdMib: number; retries: number };
export declare function uploadLimits(options: {
  partSizeMib: string | number;
  multipartThresholdMib: string | number;
  retries: string | number;
}): { error: string } | { error?: undefined; partSize: number; threshold: number; retries: number };
export interface PublishOptions {
  dir: string;
  name: string;
  alias?: string;
  description?: string;
  host: string;
  token: string;
  partSize: number;
  threshold: number;
  retries: number;
  retryDelayMs: number;
}
/** The created model version (MLflow's ModelVersion). */
export declare function publish(
  options: PublishOptions,
): Promise<{ name: string; version: string } & Record<string, unknown>>;
