/**
 * Helpers of the `edgeserve sql` e2e tests: the command run as a user runs it (its own process, the
 * `edgeserve` CLI's bin, auth from EDGESERVE_HOST/EDGESERVE_TOKEN), endpoints on the instruction-following
 * mock upstream, and the reviews CSV the tests and docs/sql.md read.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { api, customModelConfig, e2e, ok, uniqueName, waitUntilReady } from "./helpers";

const cli = path.resolve(import.meta.dirname, "../../packages/cli/bin/edgeserve.mjs");

export interface SqlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `edgeserve sql …args` in `cwd` against the e2e stack as the admin. */
export function runSqlCli(args: string[], cwd: string): Promise<SqlRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, "sql", ...args],
      {
        cwd,
        env: { ...process.env, EDGESERVE_HOST: e2e().url, EDGESERVE_TOKEN: e2e().adminToken },
        maxBuffer: 256 * 1024 * 1024,
        timeout: 110_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** The statement id the usage summary on stderr names. */
export function statementIdOf(stderr: string): string {
  const m = /AI functions: .* statement ([0-9a-f-]{36})/.exec(stderr);
  if (!m) throw new Error(`no usage summary on stderr: ${stderr}`);
  return m[1]!;
}

/** A counter of the usage summary, e.g. `summaryCount(stderr, "retries")`. */
export function summaryCount(stderr: string, name: string): number {
  const m = new RegExp(`AI functions: .*\\b${name} (\\d+)`).exec(stderr);
  if (!m) throw new Error(`no '${name}' in the usage summary: ${stderr}`);
  return Number(m[1]);
}

/**
 * An endpoint serving `model` of the upstream at `upstreamUrl` (provider custom, bearer `token`), with
 * usage tracking and payload logging on, ready to query.
 */
export async function createUpstreamEndpoint(
  upstreamUrl: string,
  token: string,
  task: "llm/v1/chat" | "llm/v1/embeddings",
  { name = uniqueName("sql"), model = uniqueName("model") }: { name?: string; model?: string } = {},
) {
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name,
        config: customModelConfig(model, task, { bearer_token_auth: { token_plaintext: token } }, upstreamUrl),
        ai_gateway: { usage_tracking_config: { enabled: true }, inference_table_config: { enabled: true } },
      },
    }),
  );
  await waitUntilReady(name);
  return { name, model };
}

const PRODUCTS = ["kettle", "toaster", "blender", "lamp", "fan"] as const;
const COLORS = ["red", "blue", "green"] as const;
/** Opinions and the sentiment each states. */
const OPINIONS = [
  { text: "Great value, i love it", sentiment: "positive" },
  { text: "Terrible, it arrived broken", sentiment: "negative" },
  { text: "Great design but the switch is broken", sentiment: "mixed" },
  { text: "It does what it says", sentiment: "neutral" },
] as const;
/** Every product with every opinion; the color follows from the two (so extraction has two fields to find). */
export const DISTINCT_REVIEWS = PRODUCTS.length * OPINIONS.length;

export interface Review {
  id: number;
  review: string;
  product: string;
  color: string;
  sentiment: string;
  email: string;
}

/** Row `id` of the reviews CSV: 20 distinct reviews, repeated (batch data repeats itself; dedupe pays). */
export function reviewOf(id: number): Review {
  const k = id % DISTINCT_REVIEWS;
  const product = PRODUCTS[k % PRODUCTS.length]!;
  const opinion = OPINIONS[Math.floor(k / PRODUCTS.length)]!;
  const color = COLORS[k % COLORS.length]!;
  const email = `buyer${k}@example.com`;
  return {
    id,
    review: `${opinion.text}. product: ${product}, color: ${color}. Reach me at ${email}`,
    product,
    color,
    sentiment: opinion.sentiment,
    email,
  };
}

/** Writes `rows` reviews as `dir/reviews.csv` (header id,review) and returns the directory. */
export function writeReviewsCsv(dir: string, rows: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const lines = ["id,review"];
  for (let id = 1; id <= rows; id++) lines.push(`${id},"${reviewOf(id).review.replaceAll('"', '""')}"`);
  fs.writeFileSync(path.join(dir, "reviews.csv"), `${lines.join("\n")}\n`);
  return dir;
}

export function randomToken(): string {
  return `sk-${crypto.randomBytes(16).toString("hex")}`;
}
