/**
 * Starts what the e2e tests talk to, once for the whole run:
 *  - the gateway under `wrangler dev` (infra/local-stack.mjs) with a throwaway state dir,
 *  - the mock OpenAI-compatible upstream (test/mocks/openai-compatible-upstream.ts),
 *  - the fault-injecting upstream (test/mocks/fault-upstream.ts),
 *  - the TLS front for the Databricks SDK (test/tls-front.ts),
 * and hands their URLs and the admin token to the tests through `provide` (read them with `e2e()`).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { LOCAL_FOUNDATION_MODELS, freePort, repoRoot, startLocalStack } from "../infra/local-stack.mjs";
import { describeDroppedRequests, readDroppedRequests } from "./dropped-requests-log.mjs";
import { startMockUpstream } from "./mocks/openai-compatible-upstream";
import { startFaultUpstream } from "./mocks/fault-upstream";
import { REDIS_INSTALL_HINT, redisServerAvailable, startLocalUpstash } from "../infra/upstash-bridge/index.mjs";
import { baseUrlMap, startProviderMocks } from "./mocks/providers";
import { startTlsFront } from "./tls-front";

export interface E2EContext {
  /** The gateway over plain http: http://127.0.0.1:<port> */
  url: string;
  /** The same gateway behind TLS, for the Databricks SDK: https://localhost:<port> */
  tlsUrl: string;
  /** PEM of the TLS front's self-signed certificate. */
  ca: string;
  adminToken: string;
  /** The mock upstream without `/v1`; external models use `${mockUrl}/v1`. */
  mockUrl: string;
  /** The fault-injecting upstream without `/v1` (faults chosen by model name). */
  faultUrl: string;
  /** The gateway's EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S in this stack. */
  upstreamIdleTimeoutS: number;
  /** Provider → base URL of its local mock (test/mocks/providers), as given to the gateway. */
  providerMocks: Record<string, string>;
  /** The local Upstash REST bridge (over redis-server) the gateway rate-limits with; absent without redis-server. */
  upstash?: { url: string; token: string };
  /** Where the helpers record requests wrangler dev dropped (test/dropped-requests-log.mjs); reported at teardown. */
  droppedRequestsLog: string;
}

/** The token the stack's OpenAI-compatible foundation models send the mock upstream (a worker secret in production). */
const FOUNDATION_MOCK_TOKEN = `sk-foundation-${crypto.randomBytes(8).toString("hex")}`;

/**
 * The stack's Foundation Model APIs: the local default (embeddings on the inference worker) plus chat models on
 * the mock upstream, one of them with small pay-per-token limits (test/e2e/foundation-models.test.ts).
 */
function foundationModels(mockUrl: string) {
  const onMock = (model: string) => ({
    backend: "openai-compatible",
    url: `${mockUrl}/v1`,
    model,
    api_key_secret: "EDGESERVE_FOUNDATION_MOCK_TOKEN",
    price_per_million_tokens: { input: 0.5, output: 1.5 },
  });
  return {
    ...LOCAL_FOUNDATION_MODELS,
    // With a capacity: provisioned-throughput endpoints reserve bands of it (test/e2e/provisioned-throughput.test.ts).
    "databricks-meta-llama-3-1-8b-instruct": { ...onMock("local-llama-3.1-8b"), capacity_tokens_per_second: 1000 },
    "databricks-gpt-oss-20b": {
      ...onMock("local-gpt-oss-20b"),
      limits: { output_tokens_per_minute: 100, queries_per_hour: 2 },
    },
  };
}

/**
 * The stack's idle deadline (EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S): short, so the stall tests of the fault suite are fast.
 */
const UPSTREAM_IDLE_TIMEOUT_S = 3;

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2EContext;
  }
}

export default async function setup(project: TestProject) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-e2e-"));
  const adminToken = `dapi${crypto.randomBytes(16).toString("hex")}`;
  const masterKey = crypto.randomBytes(32).toString("base64");
  const cleanups: (() => Promise<void>)[] = [];
  const droppedRequestsLog = path.join(stateDir, "dropped-requests.jsonl");
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
    reportDroppedRequests(project.name, droppedRequestsLog);
    if (!process.env.E2E_KEEP_STATE) fs.rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    const mock = await startMockUpstream();
    cleanups.push(() => mock.close());
    mock.accept({ header: "authorization", value: `Bearer ${FOUNDATION_MOCK_TOKEN}` });
    const faults = await startFaultUpstream();
    cleanups.push(() => faults.close());
    const providerMocks = await startProviderMocks();
    for (const m of providerMocks) cleanups.push(() => m.close());
    const providerUrls = baseUrlMap(providerMocks);
    let upstash: { url: string; token: string } | undefined;
    if (redisServerAvailable()) {
      const local = await startLocalUpstash();
      cleanups.push(() => local.stop());
      upstash = { url: local.url, token: local.token };
    } else console.warn(`Rate-limit e2e tests will be skipped: ${REDIS_INSTALL_HINT}`);

    const stack = await startLocalStack({
      port: await freePort(),
      stateDir,
      adminToken,
      masterKey,
      quiet: true,
      // The cache TTL is wrangler.toml's, as in production: tests write through the API, and the isolate that
      // writes sees its writes at once (wrangler dev runs one).
      vars: {
        EDGESERVE_UPSTREAM_TIMEOUT_S: "20",
        EDGESERVE_UPSTREAM_IDLE_TIMEOUT_S: String(UPSTREAM_IDLE_TIMEOUT_S),
        EDGESERVE_PROVIDER_BASE_URLS: JSON.stringify(providerUrls),
        EDGESERVE_FOUNDATION_MODELS: JSON.stringify(foundationModels(mock.url)),
        EDGESERVE_FOUNDATION_MOCK_TOKEN: FOUNDATION_MOCK_TOKEN,
        ...(upstash ? { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token } : {}),
      },
    });
    cleanups.push(async () => {
      await stack.stop();
      // Keep wrangler's output of the last run where a developer can find it.
      if (stack.logFile && fs.existsSync(stack.logFile)) {
        const keep = path.join(repoRoot, ".edgeserve", "e2e-wrangler.log");
        fs.mkdirSync(path.dirname(keep), { recursive: true });
        fs.copyFileSync(stack.logFile, keep);
      }
    });

    const tls = await startTlsFront({ target: stack.url, dir: stateDir });
    cleanups.push(() => tls.close());
    // For clients that use node's default CA store: workers forked after this line inherit it
    // (NODE_EXTRA_CA_CERTS is read once, at process start). Appended to any bundle already configured
    // (e.g. a proxy's CA that the machine needs to reach the registry), never replacing it.
    const previous = process.env.NODE_EXTRA_CA_CERTS;
    const bundle = path.join(stateDir, "extra-ca-certs.pem");
    const inherited = previous && fs.existsSync(previous) ? `${fs.readFileSync(previous, "utf8").trimEnd()}\n` : "";
    fs.writeFileSync(bundle, inherited + tls.ca);
    process.env.NODE_EXTRA_CA_CERTS = bundle;
    cleanups.push(async () => {
      if (previous === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = previous;
    });

    project.provide("e2e", {
      url: stack.url,
      tlsUrl: tls.url,
      ca: tls.ca,
      adminToken,
      mockUrl: mock.url,
      faultUrl: faults.url,
      upstreamIdleTimeoutS: UPSTREAM_IDLE_TIMEOUT_S,
      providerMocks: providerUrls,
      ...(upstash ? { upstash } : {}),
      droppedRequestsLog,
    });
  } catch (e) {
    await teardown();
    throw e;
  }
  return teardown;
}

/**
 * Prints how many requests wrangler dev dropped under this run's tests, and which were resent, and hands
 * them to infra/test.mjs's summary (EDGESERVE_DROPPED_REQUESTS_LOG) when it runs the suite.
 */
function reportDroppedRequests(projectName: string, log: string): void {
  const entries = readDroppedRequests(log);
  for (const line of describeDroppedRequests(entries)) console.log(`${projectName}: ${line}`);
  const summary = process.env.EDGESERVE_DROPPED_REQUESTS_LOG;
  if (summary && entries.length > 0) fs.appendFileSync(summary, fs.readFileSync(log, "utf8"));
}
