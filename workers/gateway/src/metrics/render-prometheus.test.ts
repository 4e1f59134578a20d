import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { readPrometheus } from "../../test/prometheus";
import { describe, expect, it } from "vitest";
import type { EndpointMetrics } from "./endpoint-metrics";
import { LATENCY_BUCKETS_MS } from "@edgeserve/db";
import { PROMETHEUS_CONTENT_TYPE, escapeLabelValue, renderPrometheus } from "./render-prometheus";

const metrics: EndpointMetrics = {
  endpointName: "chat",
  requests: [
    { servedEntity: "", statusCode: 429, count: 2 },
    { servedEntity: "primary", statusCode: 200, count: 3 },
    { servedEntity: "primary", statusCode: 400, count: 1 },
  ],
  latency: [
    { servedEntity: "", cumulative: LATENCY_BUCKETS_MS.map(() => 2), count: 2, sumMs: 2 },
    {
      servedEntity: "primary",
      cumulative: LATENCY_BUCKETS_MS.map((le) => (le < 100 ? 1 : le < 1000 ? 3 : 4)),
      count: 4,
      sumMs: 1234,
    },
  ],
  tokens: [{ servedEntity: "primary", input: 15, output: 3 }],
};

describe("renderPrometheus", () => {
  it("renders text a Prometheus parser reads back to the same numbers", () => {
    const families = parsePrometheusTextFormat(renderPrometheus(metrics));
    expect(families.map((f) => [f.name, f.type])).toEqual([
      ["edgeserve_requests_total", "COUNTER"],
      ["edgeserve_request_latency_ms", "HISTOGRAM"],
      ["edgeserve_tokens_total", "COUNTER"],
    ]);
    const [requests, latency, tokens] = families;
    expect(requests!.metrics).toEqual([
      { labels: { endpoint: "chat", served_entity: "", status_code: "429" }, value: "2" },
      { labels: { endpoint: "chat", served_entity: "primary", status_code: "200" }, value: "3" },
      { labels: { endpoint: "chat", served_entity: "primary", status_code: "400" }, value: "1" },
    ]);
    expect(latency!.type).toBe("HISTOGRAM");
    const primary = readPrometheus(renderPrometheus(metrics)).histogram("edgeserve_request_latency_ms", {
      served_entity: "primary",
    });
    expect(primary.count).toBe(4);
    expect(primary.sum).toBe(1234);
    expect(Object.fromEntries(primary.buckets)).toMatchObject({
      "5": 1,
      "50": 1,
      "100": 3,
      "500": 3,
      "1000": 4,
      "300000": 4,
      "+Inf": 4,
    });
    expect([...primary.buckets.keys()]).toEqual([...LATENCY_BUCKETS_MS.map(String), "+Inf"]);
    expect(tokens!.metrics).toEqual([
      { labels: { endpoint: "chat", served_entity: "primary", direction: "input" }, value: "15" },
      { labels: { endpoint: "chat", served_entity: "primary", direction: "output" }, value: "3" },
    ]);
  });

  it("declares every family even with no traffic yet, and ends with a newline", () => {
    const text = renderPrometheus({ endpointName: "idle", requests: [], latency: [], tokens: [] });
    expect(text.endsWith("\n")).toBe(true);
    expect(text.match(/^# TYPE .*$/gm)).toEqual([
      "# TYPE edgeserve_requests_total counter",
      "# TYPE edgeserve_request_latency_ms histogram",
      "# TYPE edgeserve_tokens_total counter",
    ]);
    expect(parsePrometheusTextFormat(text).every((f) => f.metrics.length === 0)).toBe(true);
  });

  it("escapes label values so any name parses back unchanged", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const odd = 'we"ird\\name\n';
    const [requests] = parsePrometheusTextFormat(
      renderPrometheus({
        endpointName: odd,
        requests: [{ servedEntity: odd, statusCode: 200, count: 1 }],
        latency: [],
        tokens: [],
      }),
    );
    expect(requests!.metrics[0]!.labels).toEqual({ endpoint: odd, served_entity: odd, status_code: "200" });
  });

  it("uses the text format's content type", () => {
    expect(PROMETHEUS_CONTENT_TYPE).toBe("text/plain; version=0.0.4; charset=utf-8");
  });
});
