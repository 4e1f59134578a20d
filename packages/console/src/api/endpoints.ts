import { apiRequest } from "./client";
import type { EndpointDetailed, EndpointSummary } from "./types";

const BASE = "/api/2.0/serving-endpoints";
const enc = encodeURIComponent;

export function listEndpoints(signal?: AbortSignal): Promise<{ endpoints?: EndpointSummary[] }> {
  return apiRequest("GET", BASE, { signal });
}

export function getEndpoint(name: string, signal?: AbortSignal): Promise<EndpointDetailed> {
  return apiRequest("GET", `${BASE}/${enc(name)}`, { signal });
}
