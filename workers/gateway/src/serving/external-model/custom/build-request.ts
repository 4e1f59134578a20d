import { DATABRICKS_QUERY_EXTRA_FIELDS, type ExternalModel, type Task } from "@edgeserve/api";

const TASK_PATHS: Record<Task, string> = {
  "llm/v1/chat": "chat/completions",
  "llm/v1/completions": "completions",
  "llm/v1/embeddings": "embeddings",
};

/**
 * The OpenAI-format body for an upstream: Databricks-only fields (client_request_id, usage_context)
 * are dropped, `extra_params` are merged in as provider parameters, and `model` is the
 * external model's name whatever the caller sent.
 */
export function toUpstreamBody(body: Record<string, unknown>, modelName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!DATABRICKS_QUERY_EXTRA_FIELDS.includes(key)) out[key] = value;
  }
  const extra = body.extra_params;
  if (extra && typeof extra === "object") Object.assign(out, extra);
  out.model = modelName;
  return out;
}

/** `https://host/v1` + task path, tolerant of a trailing slash. */
export function upstreamUrl(baseUrl: string, task: Task): string {
  return `${baseUrl.replace(/\/+$/, "")}/${TASK_PATHS[task]}`;
}

/** Auth headers of a custom provider: a bearer token or an API key in a named header. */
export function authHeaders(model: ExternalModel, credentials: ReadonlyMap<string, string>): Record<string, string> {
  const config = model.custom_provider_config;
  if (config?.bearer_token_auth) return { authorization: `Bearer ${credentials.get("bearer_token_auth.token") ?? ""}` };
  if (config?.api_key_auth) return { [config.api_key_auth.key]: credentials.get("api_key_auth.value") ?? "" };
  return {};
}
