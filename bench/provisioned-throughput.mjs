// Provisioned throughput under overload (`pnpm bench:provisioned`; docs/foundation-models.md).
//
// One backend (bench/mock-upstream.mjs, an OpenAI-compatible server that answers with token usage) serves
// databricks-meta-llama-3-1-8b-instruct with a capacity of CAPACITY tokens/s. A provisioned endpoint reserves
// BAND of it; pay-per-token clients overload the rest while the provisioned clients send as fast as they are
// admitted. Tokens are what the backend reported (prompt + completion), counted by the clients per response,
// over whole throughput windows. Redis is a real redis-server behind the local Upstash bridge; the gateway is
// the local stack (wrangler dev), so the figures include its overhead on a machine other work shares.
//
//   node bench/provisioned-throughput.mjs [--seconds=40] [--ppt-clients=8] [--pt-clients=4]
// writes bench/provisioned-throughput.json and prints the result.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { startLocalUpstash } from "../infra/upstash-bridge/index.mjs";
import { freePort, startLocalStack } from "../infra/local-stack.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const SECONDS = Number(args.seconds ?? 40);
const PPT_CLIENTS = Number(args["ppt-clients"] ?? 8);
const PT_CLIENTS = Number(args["pt-clients"] ?? 4);
const CAPACITY = 1000;
const BAND = 300;
/** The gateway's throughput window (serving/foundation-model/provisioned-throughput.ts). */
const WINDOW_MS = 10_000;
const MODEL = "databricks-meta-llama-3-1-8b-instruct";
const ENDPOINT = "bench-provisioned";
/** After a 429, a client tries again this soon: it keeps offering more than it is given (overload). */
const RETRY_MS = 200;
/** Every answer is COMPLETION_WORDS tokens long (the mock's --completion-words) and asks max_tokens of as much. */
const COMPLETION_WORDS = 100;
const PROMPT = "Tell me about provisioned throughput.";

function startMockUpstream(token) {
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, "mock-upstream.mjs"), `--token=${token}`, `--completion-words=${COMPLETION_WORDS}`],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`mock upstream exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("READY ")) resolve({ url: line.slice(6), stop: () => child.kill() });
    });
  });
}

async function main() {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-bench-pt-"));
  const adminToken = `dapi${crypto.randomBytes(16).toString("hex")}`;
  const upstreamToken = `sk-bench-${crypto.randomBytes(6).toString("hex")}`;
  const cleanups = [];
  try {
    const upstash = await startLocalUpstash();
    cleanups.push(() => upstash.stop());
    const mock = await startMockUpstream(upstreamToken);
    cleanups.push(async () => mock.stop());
    const foundation = {
      [MODEL]: {
        backend: "openai-compatible",
        url: `${mock.url}/v1`,
        model: "bench-llama-3.1-8b",
        api_key_secret: "EDGESERVE_BENCH_UPSTREAM_TOKEN",
        price_per_million_tokens: { input: 0.15, output: 0.45 },
        capacity_tokens_per_second: CAPACITY,
      },
    };
    const stack = await startLocalStack({
      port: await freePort(),
      stateDir,
      adminToken,
      masterKey: crypto.randomBytes(32).toString("base64"),
      quiet: true,
      vars: {
        EDGESERVE_FOUNDATION_MODELS: JSON.stringify(foundation),
        EDGESERVE_BENCH_UPSTREAM_TOKEN: upstreamToken,
        UPSTASH_REDIS_REST_URL: upstash.url,
        UPSTASH_REDIS_REST_TOKEN: upstash.token,
      },
    });
    cleanups.push(() => stack.stop());
    const headers = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
    const api = (method, p, body) =>
      fetch(`${stack.url}${p}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });

    const created = await api("POST", "/api/2.0/serving-endpoints", {
      name: ENDPOINT,
      config: {
        served_entities: [
          {
            entity_name: "system.ai.meta_llama_v3_1_8b_instruct",
            entity_version: "1",
            min_provisioned_throughput: 0,
            max_provisioned_throughput: BAND,
          },
        ],
      },
    });
    if (!created.ok) throw new Error(`create: ${created.status} ${await created.text()}`);
    for (;;) {
      const state = (await (await api("GET", `/api/2.0/serving-endpoints/${ENDPOINT}`)).json()).state;
      if (state.config_update === "NOT_UPDATING") break;
      if (state.config_update === "UPDATE_FAILED") throw new Error("the provisioned endpoint failed to deploy");
      await new Promise((r) => setTimeout(r, 500));
    }

    // Start on a window boundary, so that the measured span is whole windows.
    const startAt = Math.ceil((Date.now() + 1000) / WINDOW_MS) * WINDOW_MS;
    const stopAt = startAt + Math.ceil((SECONDS * 1000) / WINDOW_MS) * WINDOW_MS;
    await new Promise((r) => setTimeout(r, startAt - Date.now()));
    const tally = { pt: { tokens: 0, ok: 0, refused: 0, errors: 0 }, ppt: { tokens: 0, ok: 0, refused: 0, errors: 0 } };
    const client = async (kind, p) => {
      const t = tally[kind];
      while (Date.now() < stopAt) {
        const res = await fetch(`${stack.url}${p}`, {
          method: "POST",
          headers,
          body: JSON.stringify({ messages: [{ role: "user", content: PROMPT }], max_tokens: COMPLETION_WORDS }),
        }).catch(() => null);
        const body = res ? await res.json().catch(() => null) : null;
        if (res?.status === 200 && Date.now() < stopAt) {
          t.ok++;
          t.tokens += body.usage.prompt_tokens + body.usage.completion_tokens;
        } else if (res?.status === 429) {
          t.refused++;
          await new Promise((r) => setTimeout(r, RETRY_MS));
        } else if (res?.status !== 200) t.errors++;
      }
    };
    await Promise.all([
      ...Array.from({ length: PT_CLIENTS }, () => client("pt", `/serving-endpoints/${ENDPOINT}/invocations`)),
      ...Array.from({ length: PPT_CLIENTS }, () => client("ppt", `/serving-endpoints/${MODEL}/invocations`)),
    ]);
    const seconds = (stopAt - startAt) / 1000;
    const ptRate = tally.pt.tokens / seconds;
    const pptRate = tally.ppt.tokens / seconds;
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model}), shared with other work`,
      seconds,
      capacity_tokens_per_second: CAPACITY,
      band_tokens_per_second: BAND,
      clients: { provisioned: PT_CLIENTS, pay_per_token: PPT_CLIENTS },
      provisioned: { ...tally.pt, tokens_per_second: Math.round(ptRate), of_band: Number((ptRate / BAND).toFixed(3)) },
      pay_per_token: {
        ...tally.ppt,
        tokens_per_second: Math.round(pptRate),
        left_by_reservations: CAPACITY - BAND,
      },
      within_10_percent: Math.abs(ptRate / BAND - 1) <= 0.1,
    };
    fs.writeFileSync(
      path.join(import.meta.dirname, "provisioned-throughput.json"),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
