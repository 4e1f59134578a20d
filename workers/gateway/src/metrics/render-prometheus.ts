import type { EndpointMetrics } from "./endpoint-metrics";
import { LATENCY_BUCKETS_MS } from "@edgeserve/db";

/** The content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Label values escape backslash, double quote and newline (the text format's only escapes). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: Record<string, string>): string {
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(",")}}`;
}

function family(name: string, type: "counter" | "histogram", help: string, samples: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}

/** Renders an endpoint's metrics in the Prometheus text format (version 0.0.4). */
export function renderPrometheus(m: EndpointMetrics): string {
  const endpoint = m.endpointName;
  const lines = [
    ...family(
      "edgeserve_requests_total",
      "counter",
      "Queries answered, by served entity (empty when refused before one was picked) and HTTP status code; " +
        "a query that fell back also counts each failed attempt under its entity.",
      m.requests.map(
        (r) =>
          `edgeserve_requests_total` +
          `${labels({ endpoint, served_entity: r.servedEntity, status_code: String(r.statusCode) })} ${r.count}`,
      ),
    ),
    ...family(
      "edgeserve_request_latency_ms",
      "histogram",
      "Time from request to response headers, in milliseconds.",
      m.latency.flatMap((h) => {
        const base = { endpoint, served_entity: h.servedEntity };
        return [
          ...LATENCY_BUCKETS_MS.map(
            (le, i) =>
              `edgeserve_request_latency_ms_bucket${labels({ ...base, le: String(le) })} ${h.cumulative[i] ?? 0}`,
          ),
          `edgeserve_request_latency_ms_bucket${labels({ ...base, le: "+Inf" })} ${h.count}`,
          `edgeserve_request_latency_ms_sum${labels(base)} ${h.sumMs}`,
          `edgeserve_request_latency_ms_count${labels(base)} ${h.count}`,
        ];
      }),
    ),
    ...family(
      "edgeserve_tokens_total",
      "counter",
      "Tokens of provider calls, by served entity and direction (input: prompt, output: completion).",
      m.tokens.flatMap((t) => [
        `edgeserve_tokens_total${labels({ endpoint, served_entity: t.servedEntity, direction: "input" })} ${t.input}`,
        `edgeserve_tokens_total${labels({ endpoint, served_entity: t.servedEntity, direction: "output" })} ${t.output}`,
      ]),
    ),
  ];
  return `${lines.join("\n")}\n`;
}
