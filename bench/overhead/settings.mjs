// What `pnpm bench` measures and for how long, from the environment (bench/README.md lists the knobs).
const env = process.env;

export const DURATION = Number(env.BENCH_DURATION ?? 6);
export const WARMUP = Number(env.BENCH_WARMUP ?? 2);
export const TTFT_TOTAL = Number(env.BENCH_TTFT ?? 150);
export const CPU_REQUESTS = Number(env.BENCH_CPU_REQUESTS ?? 3000);
export const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 3));
/**
 * BENCH_CPU_ROUNDS: CPU-per-query runs per target, the targets' order reversed every other round (A B, B A…)
 * so neither side of an A/B always runs first; the median round is reported (default 1).
 */
export const CPU_ROUNDS = Math.max(1, Number(env.BENCH_CPU_ROUNDS ?? 1));
/**
 * BENCH_AB_BUNDLE=<dir>/index.js: a gateway bundle built earlier (`wrangler deploy --dry-run --outdir <dir>`),
 * measured as one more target.
 */
export const AB_BUNDLE = env.BENCH_AB_BUNDLE ?? null;
/** BENCH_BUNDLE=<dir>/index.js: measure that earlier build as this tree's gateway (not built by the run). */
export const BUNDLE = env.BENCH_BUNDLE ?? null;
/** BENCH_ONLY=profile: the CPU profile of the hot path, printed; RESULTS.md untouched. */
export const PROFILE_ONLY = env.BENCH_ONLY === "profile";
/** BENCH_ONLY=ttft: latency and streaming TTFT at 1 connection, direct vs the workerd target only, printed. */
export const TTFT_ONLY = env.BENCH_ONLY === "ttft";
/** BENCH_ONLY=load: throughput and CPU, direct vs bare proxy vs the workerd target, printed (for A/B runs). */
export const LOAD_ONLY = env.BENCH_ONLY === "load";
/**
 * BENCH_ONLY=ab (with BENCH_AB_BUNDLE): this tree's gateway and the earlier bundle only, in ROUNDS interleaved
 * load rounds at BENCH_AB_CONNECTIONS (default 32), each round's req/s and gateway CPU per query printed with
 * the medians' ratio: the quickest A/B, for bisecting a regression over commits.
 */
export const AB_ONLY = env.BENCH_ONLY === "ab";
if (AB_ONLY && !AB_BUNDLE) throw new Error("BENCH_ONLY=ab needs BENCH_AB_BUNDLE=<dir>/index.js");
export const QUICK = PROFILE_ONLY || TTFT_ONLY || LOAD_ONLY || AB_ONLY;
const AB_CONNECTIONS = (env.BENCH_AB_CONNECTIONS ?? "32").split(",").map(Number);
export const CONNECTIONS = PROFILE_ONLY ? [] : TTFT_ONLY ? [1] : AB_ONLY ? AB_CONNECTIONS : [1, 32];
/** Streaming TTFT is measured at 1 and 32 concurrent streams (none in BENCH_ONLY=load or =profile). */
export const TTFT_CONNECTIONS = PROFILE_ONLY || LOAD_ONLY || AB_ONLY ? [] : [1, 32];
/**
 * BENCH_STREAM=1: the CPU-per-query run and the profile send the streamed chat request instead of the JSON
 * one (BENCH_ONLY=ttft always measures streamed CPU): what a query costs when it is a stream.
 */
export const STREAM = env.BENCH_STREAM === "1" || TTFT_ONLY;
/** The AI Gateway features the bench endpoint turns on (BENCH_FEATURES=usage,payload,ratelimit; `none` for none). */
export const FEATURES = new Set(
  (env.BENCH_FEATURES ?? "usage,payload,ratelimit")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean),
);
/** BENCH_RATE_LIMITS=0: no Upstash, so the configured rate limit is not enforced. */
export const RATE_LIMITS = env.BENCH_RATE_LIMITS !== "0" && FEATURES.has("ratelimit");
/** The wrangler dev target: in full runs unless BENCH_SKIP_DEV, and in BENCH_ONLY=load runs with BENCH_DEV=1. */
const SKIP_DEV = !!env.BENCH_SKIP_DEV;
export const WITH_DEV = !SKIP_DEV && (!QUICK || (LOAD_ONLY && env.BENCH_DEV === "1"));
export const KEEP_STATE = !!env.BENCH_KEEP_STATE;
export const VERBOSE = !!env.BENCH_VERBOSE;
/** BENCH_PROFILE=0 skips the CPU profile of the hot path. */
export const PROFILE = env.BENCH_PROFILE !== "0" && !TTFT_ONLY && !LOAD_ONLY && !AB_ONLY;
export const PROFILE_SECONDS = 8;
