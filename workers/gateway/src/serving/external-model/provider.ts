import type { ExternalModel, Task } from "@edgeserve/api";

/** One call to an external model, already validated and in OpenAI's request format. */
export interface ProviderCall {
  task: Task;
  model: ExternalModel;
  /** The OpenAI-format body, with Databricks-only fields removed and `extra_params` merged in. */
  body: Record<string, unknown>;
  stream: boolean;
  /** Secret field path (e.g. `bearer_token_auth.token`) → decrypted value. */
  credentials: ReadonlyMap<string, string>;
  signal?: AbortSignal;
  timeoutMs: number;
}

/**
 * A provider turns a call into an OpenAI-format response: JSON, or for `stream` an SSE body of
 * `chat.completion.chunk` events ending with `data: [DONE]`. Errors are thrown as ApiError.
 */
export interface ExternalProvider {
  invoke(call: ProviderCall): Promise<Response>;
}
