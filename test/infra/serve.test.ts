/**
 * `pnpm serve` (infra/serve.mjs) as a user runs it: the production bundles on workerd with local state,
 * the settings of `pnpm dev` (PORT, EDGESERVE_ADMIN_TOKEN, EDGESERVE_MASTER_KEY, UPSTASH_*), and with
 * everything a query needs working: the inference worker binding, the deployment queue, the usage queue
 * and its consumer, the Redis-backed rate limiter, and a clean stop on SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, repoRoot } from "../../infra/local-stack.mjs";
import { e2e, mockAccepts } from "../e2e/helpers";

let child: ChildProcess;
let url: string;
let output = "";
const adminToken = `dapi${crypto.randomBytes(16).toString("hex")}`;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-serve-"));

async function call(method: string, route: string, body?: unknown) {
  const res = await fetch(url + route, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  const port = await freePort();
  const { upstash } = e2e();
  child = spawn(process.execPath, [path.join(repoRoot, "infra/serve.mjs")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      EDGESERVE_STATE_DIR: stateDir,
      EDGESERVE_ADMIN_TOKEN: adminToken,
      EDGESERVE_MASTER_KEY: crypto.randomBytes(32).toString("base64"),
      ...(upstash ? { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  url = await until(
    "pnpm serve to print that it is running",
    async () => {
      if (child.exitCode !== null) throw new Error(`infra/serve.mjs exited with ${child.exitCode}:\n${output}`);
      return output.match(/Edgeserve is running at (\S+)/)?.[1];
    },
    240_000,
  );
}, 300_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe("pnpm serve", () => {
  it("listens on PORT with the admin token it was given, in the production layout", () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toContain("production bundles on workerd");
    expect(output).toContain(`Admin token (from EDGESERVE_ADMIN_TOKEN): ${adminToken}`);
    // The state lives where EDGESERVE_STATE_DIR says (wrangler dev's layout, so both commands share it).
    expect(fs.existsSync(path.join(stateDir, "v3", "d1"))).toBe(true);
  });

  it("serves the console from the gateway's static assets, with its security headers", async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('<div id="app"');
  });

  it("answers the built-in embeddings endpoint through the inference worker's service binding", async () => {
    const res = await call("POST", "/serving-endpoints/embeddings/invocations", { input: ["a sentence"] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data[0].embedding).toHaveLength(512);
  });

  it("serves the local Foundation Model API catalogue (EDGESERVE_FOUNDATION_MODELS' default)", async () => {
    const listed = await call("GET", "/api/2.0/serving-endpoints");
    const foundation = listed.body.endpoints.filter((e: any) => e.endpoint_type === "FOUNDATION_MODEL_API");
    expect(foundation.map((e: any) => e.name)).toEqual(["databricks-gte-large-en"]);
    const res = await call("POST", "/serving-endpoints/databricks-gte-large-en/invocations", { input: "a sentence" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data[0].embedding).toHaveLength(512);
  });

  it("deploys an external model through the queue, answers it, records usage and enforces a rate limit", async () => {
    const name = `serve-${crypto.randomBytes(4).toString("hex")}`;
    const upstreamToken = `sk-${crypto.randomBytes(16).toString("hex")}`;
    await mockAccepts("authorization", `Bearer ${upstreamToken}`);
    const created = await call("POST", "/api/2.0/serving-endpoints", {
      name,
      config: {
        served_entities: [
          {
            name: "mock",
            external_model: {
              name: "serve-model",
              provider: "custom",
              task: "llm/v1/chat",
              custom_provider_config: {
                custom_provider_url: `${e2e().mockUrl}/v1`,
                bearer_token_auth: { token_plaintext: upstreamToken },
              },
            },
          },
        ],
      },
      ai_gateway: {
        usage_tracking_config: { enabled: true },
        ...(e2e().upstash ? { rate_limits: [{ calls: 1, key: "endpoint", renewal_period: "minute" }] } : {}),
      },
    });
    expect(created.status, created.text).toBe(200);
    await until("the deployment consumer to make the endpoint READY", async () => {
      const got = await call("GET", `/api/2.0/serving-endpoints/${name}`);
      return got.body.state.config_update === "NOT_UPDATING" ? got.body.state : undefined;
    });

    const since = Date.now() - 1000;
    const query = () =>
      call("POST", `/serving-endpoints/${name}/invocations`, { messages: [{ role: "user", content: "hi" }] });
    const answered = await query();
    expect(answered.status, answered.text).toBe(200);
    expect(answered.body.choices[0].message.content).toBe("Echo: hi");
    if (e2e().upstash) expect((await query()).status).toBe(429);

    const usage = await until("the usage consumer to record the query", async () => {
      const res = await call("GET", `/api/2.0/serving-endpoints/${name}/usage?start_time=${since}`);
      return res.body.usage?.length ? res.body.usage : undefined;
    });
    expect(usage[0].request_count).toBeGreaterThanOrEqual(1);
  });

  it("stops on SIGTERM, taking workerd down with it", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
