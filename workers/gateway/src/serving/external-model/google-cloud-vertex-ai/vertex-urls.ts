import { errors } from "@edgeserve/api";

export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
/** The base URL of Google's token endpoint, and its key in EDGESERVE_PROVIDER_BASE_URLS. */
export const GOOGLE_OAUTH_PUBLIC_URL = "https://oauth2.googleapis.com";
export const GOOGLE_OAUTH_KEY = "google-oauth";

/**
 * Vertex AI's public host: `{region}-aiplatform.googleapis.com`, or `aiplatform.googleapis.com` for the global
 * location.
 */
export function vertexPublicUrl(region: string): string {
  if (!/^[a-z]+(-[a-z0-9]+)*$/.test(region))
    throw errors.invalid(
      `google_cloud_vertex_ai_config.region '${region}' is not a Google Cloud region such as us-central1.`,
    );
  return region === "global" ? "https://aiplatform.googleapis.com" : `https://${region}-aiplatform.googleapis.com`;
}

/** `…/v1/projects/{project}/locations/{region}/publishers/google/models/{model}:{method}` (SSE for streams). */
export function vertexModelUrl(
  baseUrl: string,
  project: string,
  region: string,
  model: string,
  method: string,
): string {
  if (!/^[A-Za-z0-9._@-]+$/.test(model))
    throw errors.invalid(`The external model name '${model}' is not a Vertex AI model id such as gemini-2.0-flash.`);
  const location = `projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(region)}`;
  const url = `${baseUrl.replace(/\/+$/, "")}/v1/${location}/publishers/google/models/${model}:${method}`;
  return method === "streamGenerateContent" ? `${url}?alt=sse` : url;
}
