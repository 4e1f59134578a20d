// The README's Performance figures, rendered from a full run's results (bench/run.mjs writes them between
// the `bench:figures` markers of README.md), so the README says what the last `pnpm bench` measured.
// `node bench/overhead/report/readme-performance.mjs` re-renders from bench/results.json.
import fs from "node:fs";
import path from "node:path";

const BEGIN = "<!-- bench:figures:begin (written by pnpm bench, bench/overhead/report/readme-performance.mjs) -->";
const END = "<!-- bench:figures:end -->";
const readmePath = path.resolve(import.meta.dirname, "../../../README.md");

const f = (x, d = 2) => (x === null || x === undefined ? "—" : typeof x === "number" ? x.toFixed(d) : String(x));
const ROWS = [
  ["direct", "direct to the mock"],
  ["bare", "bare workerd proxy (the floor)"],
  ["edgeserve", "**Edgeserve** (production bundle on workerd, production layout)"],
  ["oneProcess", "Edgeserve, everything in one workerd process"],
  ["dev", "Edgeserve on `wrangler dev`"],
  ["portkey", "Portkey gateway"],
];

/** The Markdown between the markers: the run's table and its goals. */
function renderReadmeFigures(r) {
  const out = [];
  const at = (c, k) => r.load?.[c]?.[k];
  const added = (c, k) => r.ratios?.[c]?.[k];
  const cpu = (k) => {
    const c = r.cpu?.[k];
    if (!c) return "—";
    const pipeline =
      c.pipelineCpuMsPerRequest != null ? ` (+ ${f(c.pipelineCpuMsPerRequest)} ms logging pipeline)` : "";
    return `${f(c.cpuMsPerRequest)} ms${pipeline}`;
  };
  const ttft = (c, k) => {
    if (k === "direct") return "—";
    const t = r.ttft?.[c]?.[k];
    if (t && !t.requests && t.failures) return "fails";
    return `${f(added(c, k)?.ttftAddedP50Ms)} ms`;
  };
  out.push(
    `Figures from the last run (${r.generatedAt.slice(0, 16).replace("T", " ")} UTC, ${r.machine?.nproc} cores, ` +
      `${r.settings?.rounds} round(s); chat, non-streaming unless said; added = target − direct):`,
  );
  out.push("");
  out.push(
    "| | req/s at 1 conn | req/s at 32 conn | added p50 at 32 conn | added TTFT p50, 1 stream | " +
      "added TTFT p50, 32 streams | CPU / request |",
  );
  out.push("|---|---|---|---|---|---|---|");
  for (const [k, label] of ROWS) {
    if (!at(1, k) && !at(32, k)) continue;
    out.push(
      `| ${label} | ${f(at(1, k)?.rps, 0)} | ${f(at(32, k)?.rps, 0)} | ` +
        `${k === "direct" ? "—" : `${f(added(32, k)?.addedP50Ms, 1)} ms`} | ` +
        `${ttft(1, k)} | ${ttft(32, k)} | ${cpu(k)} |`,
    );
  }
  const vs = (c) => added(c, "edgeserve")?.throughputVsPortkey;
  out.push(`| **Edgeserve ÷ Portkey** | **${f(vs(1))}×** | **${f(vs(32))}×** | | | | |`);
  out.push("");
  out.push(
    "Goals of issue 16 in this run (bench/RESULTS.md has every figure and, under Findings, why a goal is missed):",
  );
  for (const g of r.goals ?? []) {
    const v = g.target.includes("MiB")
      ? `${f(g.value / 1024, 0)} KiB`
      : g.target.endsWith("ms")
        ? `${f(g.value, 2)} ms`
        : g.value == null
          ? "—"
          : `${f(g.value)}×`;
    out.push(`- ${g.name} ${g.target}: **${g.met === null ? "n/a" : g.met ? "met" : "missed"}**, ${v}.`);
  }
  return out.join("\n");
}

/** Replaces the figures between the markers of README.md; a README without them is left alone. */
export function writeReadmeFigures(results) {
  const readme = fs.readFileSync(readmePath, "utf8");
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) return false;
  const figures = renderReadmeFigures(results);
  fs.writeFileSync(readmePath, `${readme.slice(0, begin + BEGIN.length)}\n${figures}\n${readme.slice(end)}`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const results = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../results.json"), "utf8"));
  if (!writeReadmeFigures(results)) throw new Error("README.md has no bench:figures markers");
}
