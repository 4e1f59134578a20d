import { errors, type ExternalModel, type Task } from "@edgeserve/api";
import { toUpstreamBody } from "../custom/build-request";

export type OpenAiConfig = NonNullable<ExternalModel["openai_config"]>;
export type OpenAiApiType = "openai" | "azure" | "azuread";

/** OpenAI's public API origin; `/v1` is appended, so a base-URL override is an origin too. */
const OPENAI_PUBLIC_ORIGIN = "https://api.openai.com";

const OPENAI_PATHS: Record<Task, string> = {
  "llm/v1/chat": "chat/completions",
  "llm/v1/completions": "completions",
  "llm/v1/embeddings": "embeddings",
};

/**
 * Fields of our query schema that OpenAI has no equivalent for: a clear 400 instead of OpenAI's "Unrecognized request
 * argument".
 */
const UNSUPPORTED_FIELDS = ["top_k"];

/** Azure accepted `stream_options` from API version 2024-09-01(-preview) on; older versions reject it. */
const AZURE_STREAM_OPTIONS_SINCE = "2024-09-01";

export function openAiApiType(config: OpenAiConfig): OpenAiApiType {
  return config.openai_api_type ?? "openai";
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * The upstream URL. OpenAI: `openai_api_base` as given, else the public `https://api.openai.com/v1`
 * (whose origin the EDGESERVE_PROVIDER_BASE_URLS override may swap). Azure (key or Entra ID):
 * `{openai_api_base}/openai/deployments/{deployment}/{path}?api-version={version}`.
 */
export function openAiRequestUrl(config: OpenAiConfig, task: Task, baseUrl: (publicUrl: string) => string): string {
  const path = OPENAI_PATHS[task];
  if (openAiApiType(config) === "openai") {
    const base = config.openai_api_base
      ? trimSlash(config.openai_api_base)
      : `${trimSlash(baseUrl(OPENAI_PUBLIC_ORIGIN))}/v1`;
    return `${base}/${path}`;
  }
  if (!config.openai_api_base || !config.openai_deployment_name || !config.openai_api_version)
    throw errors.invalid(
      "openai_config needs openai_api_base, openai_deployment_name and openai_api_version for Azure OpenAI.",
    );
  const deployment = encodeURIComponent(config.openai_deployment_name);
  const version = encodeURIComponent(config.openai_api_version);
  return `${trimSlash(config.openai_api_base)}/openai/deployments/${deployment}/${path}?api-version=${version}`;
}

/**
 * Headers that authenticate a call: OpenAI's bearer key (+ organization), Azure's `api-key`, or an Entra ID access
 * token.
 */
export function openAiAuthHeaders(
  config: OpenAiConfig,
  credentials: ReadonlyMap<string, string>,
  entraToken?: string,
): Record<string, string> {
  const type = openAiApiType(config);
  if (type === "azuread") return { authorization: `Bearer ${entraToken ?? ""}` };
  if (type === "azure") return { "api-key": credentials.get("openai_api_key") ?? "" };
  return {
    authorization: `Bearer ${credentials.get("openai_api_key") ?? ""}`,
    ...(config.openai_organization ? { "openai-organization": config.openai_organization } : {}),
  };
}

/**
 * Whether to ask the upstream for a final usage chunk when streaming (Azure only from the API version that knows it).
 */
export function supportsStreamUsage(config: OpenAiConfig): boolean {
  if (openAiApiType(config) === "openai") return true;
  return (config.openai_api_version ?? "").slice(0, 10) >= AZURE_STREAM_OPTIONS_SINCE;
}

/** The OpenAI body: Databricks-only fields dropped, extra_params merged, `model` = the external model's name. */
export function openAiRequestBody(body: Record<string, unknown>, modelName: string): Record<string, unknown> {
  for (const field of UNSUPPORTED_FIELDS)
    if (body[field] !== undefined) throw errors.invalid(`openai does not support '${field}'.`);
  return toUpstreamBody(body, modelName);
}
