import { useEffect, useMemo, useState } from "preact/hooks";
import { type MetricsIntervalS, getMetricsSeries } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { TimeChart } from "../../components/time-chart";
import { useApi } from "../../components/use-api";

const WINDOWS: { label: string; ms: number; intervalS: MetricsIntervalS }[] = [
  { label: "Last 15 minutes", ms: 15 * 60_000, intervalS: 60 },
  { label: "Last hour", ms: 3_600_000, intervalS: 60 },
  { label: "Last 6 hours", ms: 6 * 3_600_000, intervalS: 300 },
  { label: "Last 24 hours", ms: 24 * 3_600_000, intervalS: 900 },
  { label: "Last 7 days", ms: 7 * 86_400_000, intervalS: 3600 },
];
/** The charts refresh on their own while the tab is open. */
const REFRESH_MS = 10_000;

export function MetricsTab({ name }: { name: string }) {
  const [windowIndex, setWindowIndex] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const choice = WINDOWS[windowIndex]!;
  const { data, error } = useApi(
    (signal) => {
      const step = choice.intervalS * 1000;
      // Whole buckets, ending with the current one.
      const endTime = Math.ceil((Date.now() + 1) / step) * step;
      return getMetricsSeries(name, { startTime: endTime - choice.ms, endTime, intervalS: choice.intervalS }, signal);
    },
    [name, windowIndex, tick],
  );
  const charts = useMemo(() => {
    if (!data) return null;
    const times = data.buckets.map((b) => b.start_time);
    return {
      times,
      requests: [
        { label: "Requests", values: data.buckets.map((b) => b.request_count), color: "#1f77b4" },
        { label: "Errors", values: data.buckets.map((b) => b.error_count), color: "#d62728" },
      ],
      latency: [
        { label: "p50", values: data.buckets.map((b) => b.latency_p50_ms), color: "#2ca02c" },
        { label: "p95", values: data.buckets.map((b) => b.latency_p95_ms), color: "#ff7f0e" },
        { label: "p99", values: data.buckets.map((b) => b.latency_p99_ms), color: "#9467bd" },
      ],
      tokens: [
        { label: "Input tokens", values: data.buckets.map((b) => b.input_tokens), color: "#17becf" },
        { label: "Output tokens", values: data.buckets.map((b) => b.output_tokens), color: "#8c564b" },
      ],
    };
  }, [data]);
  return (
    <section aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      <div class="toolbar">
        <label for="metrics-window">Time range</label>
        <select id="metrics-window" value={windowIndex} onChange={(e) => setWindowIndex(Number(e.currentTarget.value))}>
          {WINDOWS.map((w, i) => (
            <option key={w.label} value={i}>
              {w.label}
            </option>
          ))}
        </select>
        <span class="help">Refreshes every {REFRESH_MS / 1000} s.</span>
      </div>
      <ErrorMessage error={error} />
      {charts ? (
        <div class="charts">
          <TimeChart title="Requests and errors" unit="count" times={charts.times} series={charts.requests} />
          <TimeChart title="Latency" unit="ms" times={charts.times} series={charts.latency} />
          <TimeChart title="Tokens" unit="tokens" times={charts.times} series={charts.tokens} />
        </div>
      ) : null}
    </section>
  );
}
