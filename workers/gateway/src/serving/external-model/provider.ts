import type { ApiError, ExternalModel, Task } from "@edgeserve/api";
import type { UpstreamDeadlines } from "../upstream-fetch";
import type { UnifiedUsage } from "./shared/unified";

/** One call to an external model, already validated and in OpenAI's request format. */
export interface ProviderCall {
  task: Task;
  model: ExternalModel;
  /** The OpenAI-format body, Databricks-only fields still present (use toUpstreamBody-like helpers to drop them). */
  body: Record<string, unknown>;
  stream: boolean;
  /** Secret field path (e.g. `bearer_token_auth.token`) → decrypted value. */
  credentials: ReadonlyMap<string, string>;
  /** Removes those values from provider text passed on to the client (see redact-credentials.ts). */
  redact(text: string): string;
  signal?: AbortSignal;
  timeoutMs: number;
  /** EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S: see UpstreamDeadlines. */
  idleTimeoutMs: number;
  requestId: string;
  /**
   * The provider's base URL: `publicUrl` unless EDGESERVE_PROVIDER_BASE_URLS overrides it under
   * `key` (default: the provider's name; e.g. "google-oauth" for Google's token endpoint).
   */
  baseUrl(publicUrl: string, key?: string): string;
  /**
   * Report the call's token usage once it is known (for streams: when the stream ends). `failed`: the
   * error a stream ended with after its first bytes (the client saw it as an error event).
   */
  onUsage(usage: UnifiedUsage, failed?: ApiError): void;
}

/**
 * The deadlines of one upstream request of a call: fetchUpstream(url, init, { ...upstreamDeadlines(call), provider }).
 */
export function upstreamDeadlines(call: ProviderCall): UpstreamDeadlines {
  return { timeoutMs: call.timeoutMs, idleTimeoutMs: call.idleTimeoutMs, stream: call.stream, signal: call.signal };
}

/**
 * A provider turns a call into an OpenAI-format response: JSON, or for `stream` an SSE body of
 * OpenAI chunks ending with `data: [DONE]`. Errors before the first byte are thrown as ApiError.
 */
export interface ExternalProvider {
  invoke(call: ProviderCall): Promise<Response>;
  /**
   * Why this provider cannot serve `model` at all (a task it does not offer, credentials it cannot use
   * here), or null. The deployment fails with it, so such an endpoint never becomes READY.
   */
  deployProblem?(model: ExternalModel): string | null;
}
