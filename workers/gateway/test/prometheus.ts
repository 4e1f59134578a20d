import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";

type Labels = Record<string, string>;

const matches = (have: Labels | undefined, want: Labels) => Object.entries(want).every(([k, v]) => have?.[k] === v);

/** Label pairs of a sample line whose values contain no escapes (enough for histogram series). */
function simpleLabels(inside: string): Labels {
  return Object.fromEntries([...inside.matchAll(/(\w+)="([^"\\]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/**
 * Reads Prometheus text with a real parser (parse-prometheus-text-format: it throws on any malformed
 * line and returns the families with their types). That parser merges histogram series that carry
 * labels besides `le`, so histogram samples are read from the (already validated) lines directly.
 */
export function readPrometheus(text: string) {
  const families: ParsedFamily[] = parsePrometheusTextFormat(text);
  const family = (name: string) => families.find((f) => f.name === name);
  const samples = text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unreadable sample line: ${line}`);
      return { name: m[1]!, labels: simpleLabels(m[2] ?? ""), value: Number(m[3]) };
    });
  return {
    families,
    type: (name: string) => family(name)?.type,
    /** Sum of a counter over the series matching these labels (0 when none, as Prometheus treats it). */
    counter(name: string, labels: Labels): number {
      const found = family(name)?.metrics.filter((m) => matches(m.labels, labels)) ?? [];
      return found.reduce((sum, m) => sum + Number(m.value), 0);
    },
    histogram(name: string, labels: Labels) {
      const of = (suffix: string) => samples.filter((s) => s.name === `${name}${suffix}` && matches(s.labels, labels));
      const buckets = new Map(of("_bucket").map((s) => [s.labels.le!, s.value]));
      return { buckets, sum: of("_sum")[0]?.value, count: of("_count")[0]?.value };
    },
  };
}
