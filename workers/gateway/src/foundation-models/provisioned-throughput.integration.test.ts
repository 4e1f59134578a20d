import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { withEnv } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../index";
import { callWithEnv } from "../../test/call-with-env";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { createServicePrincipalWithToken } from "../../test/principals";
import type { DeploymentMessage } from "../endpoints/deployment-message";

const LLAMA_8B = "databricks-meta-llama-3-1-8b-instruct";
const SYSTEM_LLAMA_8B = "system.ai.meta_llama_v3_1_8b_instruct";
const CAPACITY = 500;

/** The operator serves Llama 3.1 8B on an OpenAI-compatible server with 500 tokens/s of capacity. */
const CONFIG = JSON.stringify({
  [LLAMA_8B]: {
    backend: "openai-compatible",
    url: "http://vllm.test/v1",
    model: "meta-llama/Llama-3.1-8B-Instruct",
    price_per_million_tokens: { input: 0.15, output: 0.45 },
    capacity_tokens_per_second: CAPACITY,
  },
});

/**
 * The deployment queue as the API fills it: messages are kept here and handed to the worker's queue handler
 * (the real consumer) with the operator's config, which the test's workerd does not have in wrangler.toml.
 */
const sent: DeploymentMessage[] = [];
const deployments = {
  send: async (message: DeploymentMessage) => {
    sent.push(message);
  },
  sendBatch: async (messages: { body: DeploymentMessage }[]) => {
    for (const m of messages) sent.push(m.body);
  },
};
const foundationEnv = { ...env, EDGESERVE_FOUNDATION_MODELS: CONFIG, DEPLOYMENTS: deployments };

function call(method: string, path: string, options: { body?: unknown; token?: string } = {}) {
  return callWithEnv(foundationEnv, method, path, options);
}

/**
 * Runs the deployment consumer on every queued message, each in its own batch and all at once, as two
 * consumer invocations would: they interleave at each D1 round trip (concurrent deployments race there).
 */
async function deployQueued(): Promise<void> {
  const messages = sent.splice(0);
  await Promise.all(
    messages.map(async (body, i) => {
      const batch = createMessageBatch("edgeserve-deployments", [
        { id: `m${i}-${Date.now()}`, body, attempts: 1, timestamp: new Date() },
      ]);
      const ctx = createExecutionContext();
      await withEnv(foundationEnv, () => worker.queue!(batch as never, foundationEnv as never));
      const result = await getQueueResult(batch, ctx);
      expect(result.retryMessages).toEqual([]);
    }),
  );
}

function provisioned(name: string, band: Record<string, number>) {
  return {
    name,
    config: { served_entities: [{ name: "llama", entity_name: SYSTEM_LLAMA_8B, entity_version: "1", ...band }] },
  };
}

async function buildLog(name: string): Promise<string> {
  const res = await call("GET", `/api/2.0/serving-endpoints/${name}/served-models/llama/build-logs`);
  expect(res.status, res.text).toBe(200);
  return res.json.logs;
}

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
const created: string[] = [];
afterEach(async () => {
  upstream?.restore();
  upstream = null;
  for (const name of created.splice(0)) await call("DELETE", `/api/2.0/serving-endpoints/${name}`);
  sent.length = 0;
});

async function create(name: string, band: Record<string, number>) {
  const res = await call("POST", "/api/2.0/serving-endpoints", { body: provisioned(name, band) });
  if (res.status === 200) created.push(name);
  return res;
}

describe("GET …/get-model-optimization-info/{name}/{version}", () => {
  it("answers optimizable, model_type and throughput_chunk_size for a catalogue model, 404 otherwise", async () => {
    const res = await call("GET", `/api/2.0/serving-endpoints/get-model-optimization-info/${SYSTEM_LLAMA_8B}/1`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ optimizable: true, model_type: "llama", throughput_chunk_size: 100 });
    for (const path of [`${SYSTEM_LLAMA_8B}/2`, "system.ai.no_such_model/1", "main.default.iris/1"]) {
      const missing = await call("GET", `/api/2.0/serving-endpoints/get-model-optimization-info/${path}`);
      expect(missing.status, path).toBe(404);
      expect(missing.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    }
  });
});

describe("provisioned throughput at deployment", () => {
  it("refuses a band off the chunk size with a 400 and creates nothing", async () => {
    const res = await create("pt-off-chunk", { max_provisioned_throughput: 150 });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("not a multiple of the throughput_chunk_size");
    expect((await call("GET", "/api/2.0/serving-endpoints/pt-off-chunk")).status).toBe(404);
  });

  it("reserves the band, serves the model's backend, refuses more than is free, and releases on delete", async () => {
    expect((await create("pt-first", { min_provisioned_throughput: 0, max_provisioned_throughput: 300 })).status).toBe(
      200,
    );
    await deployQueued();
    const first = await call("GET", "/api/2.0/serving-endpoints/pt-first");
    expect(first.json).toMatchObject({
      state: { ready: "READY", config_update: "NOT_UPDATING" },
      task: "llm/v1/chat",
      endpoint_type: "FOUNDATION_MODEL_API",
      config: { served_entities: [{ entity_name: SYSTEM_LLAMA_8B, max_provisioned_throughput: 300 }] },
    });
    expect(await buildLog("pt-first")).toContain(`Reserved 300 tokens/s of '${LLAMA_8B}' (backend capacity 500`);

    upstream = fakeOpenAiUpstream();
    const answer = await call("POST", "/serving-endpoints/pt-first/invocations", {
      body: { messages: [{ role: "user", content: "hello" }], max_tokens: 20 },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(upstream.calls.at(-1)).toMatchObject({
      url: "http://vllm.test/v1/chat/completions",
      body: { model: "meta-llama/Llama-3.1-8B-Instruct" },
    });

    // 300 of 500 held: 300 more does not fit; the build log says what is reserved and what was asked.
    expect((await create("pt-second", { max_provisioned_throughput: 300 })).status).toBe(200);
    await deployQueued();
    const second = await call("GET", "/api/2.0/serving-endpoints/pt-second");
    expect(second.json.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
    const log = await buildLog("pt-second");
    expect(log).toContain(
      `Cannot reserve 300 tokens/s of '${LLAMA_8B}': its backend's capacity is 500 tokens/s, ` +
        "300 tokens/s of it reserved by other endpoints, so 200 tokens/s are free.",
    );

    // Deleting the first endpoint releases its band: the second fits on a new config.
    expect((await call("DELETE", "/api/2.0/serving-endpoints/pt-first")).status).toBe(200);
    created.splice(created.indexOf("pt-first"), 1);
    const retry = await call("PUT", "/api/2.0/serving-endpoints/pt-second/config", {
      body: provisioned("pt-second", { provisioned_model_units: 3 }).config,
    });
    expect(retry.status, retry.text).toBe(200);
    await deployQueued();
    expect((await call("GET", "/api/2.0/serving-endpoints/pt-second")).json.state.config_update).toBe("NOT_UPDATING");
  });

  it("releases a band when the config is replaced by a smaller one", async () => {
    expect((await create("pt-shrink", { max_provisioned_throughput: 500 })).status).toBe(200);
    await deployQueued();
    expect((await call("GET", "/api/2.0/serving-endpoints/pt-shrink")).json.state.ready).toBe("READY");
    const shrink = await call("PUT", "/api/2.0/serving-endpoints/pt-shrink/config", {
      body: provisioned("pt-shrink", { max_provisioned_throughput: 100 }).config,
    });
    expect(shrink.status, shrink.text).toBe(200);
    await deployQueued();
    // The 400 freed fit another endpoint.
    expect((await create("pt-fits", { max_provisioned_throughput: 400 })).status).toBe(200);
    await deployQueued();
    expect((await call("GET", "/api/2.0/serving-endpoints/pt-fits")).json.state.config_update).toBe("NOT_UPDATING");
  });

  it("lets exactly one of two deployments racing for the last capacity win", async () => {
    expect((await create("pt-race-a", { max_provisioned_throughput: 300 })).status).toBe(200);
    expect((await create("pt-race-b", { max_provisioned_throughput: 300 })).status).toBe(200);
    await deployQueued();
    const states = await Promise.all(
      ["pt-race-a", "pt-race-b"].map(async (n) => (await call("GET", `/api/2.0/serving-endpoints/${n}`)).json.state),
    );
    expect(states.map((s) => s.config_update).sort()).toEqual(["NOT_UPDATING", "UPDATE_FAILED"]);
  });
});

describe("who may query foundation endpoints", () => {
  it("a service principal queries a pay-per-token endpoint (CAN_QUERY for every workspace identity)", async () => {
    const sp = await createServicePrincipalWithToken("7f1e9b2a-sp-foundation");
    upstream = fakeOpenAiUpstream();
    const res = await call("POST", `/serving-endpoints/${LLAMA_8B}/invocations`, {
      token: sp.token,
      body: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(res.status, res.text).toBe(200);
  });
});
