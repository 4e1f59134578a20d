import { errors, RECORDED_QUERY_FIELDS } from "@edgeserve/api";

/** `{workspace}/serving-endpoints/{endpoint}/invocations`: the external model's name is the remote endpoint's name. */
export function invocationsUrl(workspaceUrl: string, endpointName: string): string {
  if (!endpointName || endpointName.includes("/"))
    throw errors.invalid(`'${endpointName}' is not a serving endpoint name.`);
  return `${workspaceUrl.replace(/\/+$/, "")}/serving-endpoints/${encodeURIComponent(endpointName)}/invocations`;
}

/**
 * The body for another Databricks workspace. It speaks the same query API we do, so the body is
 * forwarded as received, minus `client_request_id` and `usage_context` (recorded here, not there)
 * and `model` (the endpoint is in the URL). `extra_params` is kept as is: the remote endpoint
 * understands it itself and applies it to its own provider.
 */
export function servingEndpointBody(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!RECORDED_QUERY_FIELDS.includes(key) && key !== "model") out[key] = value;
  }
  return out;
}
