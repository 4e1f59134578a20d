import { env } from "cloudflare:workers";
import { openDatabase, usageRecords } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { callWithEnv } from "../../../test/call-with-env";
import { fakeOpenAiUpstream } from "../../../test/fake-upstream";
import { createUserWithToken } from "../../../test/principals";
import { workersAiStandIn } from "../../../test/workers-ai-stand-in";

const LLAMA_70B = "databricks-meta-llama-3-3-70b-instruct";
const LLAMA_8B = "databricks-meta-llama-3-1-8b-instruct";
const BGE = "databricks-bge-large-en";
const PRICE = { input: 0.5, output: 1.5 };

const CONFIG = JSON.stringify({
  [LLAMA_70B]: {
    backend: "workers-ai",
    model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    price_per_million_tokens: PRICE,
  },
  [LLAMA_8B]: {
    backend: "openai-compatible",
    url: "http://vllm.test/v1",
    model: "meta-llama/Llama-3.1-8B-Instruct",
    price_per_million_tokens: PRICE,
    ai_gateway: { guardrails: { input: { invalid_keywords: ["forbidden"] } } },
  },
  [BGE]: { backend: "workers-ai", model: "@cf/baai/bge-large-en-v1.5", price_per_million_tokens: PRICE },
});

const ai = workersAiStandIn();
/** The gateway's bindings with the operator's config and the stand-in AI binding (module env too: withEnv). */
const foundationEnv = { ...env, EDGESERVE_FOUNDATION_MODELS: CONFIG, AI: ai.binding };

function call(method: string, path: string, options: { body?: unknown; token?: string; bindings?: object } = {}) {
  return callWithEnv(options.bindings ?? foundationEnv, method, path, options);
}

function sseData(text: string): any[] {
  return text
    .split("\n\n")
    .filter((e) => e.startsWith("data: ") && e !== "data: [DONE]")
    .map((e) => JSON.parse(e.slice(6)));
}

async function usageOf(requestId: string) {
  return vi.waitFor(
    async () => {
      const [row] = await openDatabase(env.DB).select().from(usageRecords).where(eq(usageRecords.requestId, requestId));
      expect(row).toBeDefined();
      return row!;
    },
    { timeout: 15_000, interval: 100 },
  );
}

afterEach(() => vi.restoreAllMocks());

/** What the worker wrote with console.error while `run` ran, and the lines of it that mention `marker`. */
async function errorLogOf<T>(run: () => Promise<T>, marker: string) {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  const res = await run();
  const workerLog = logged.mock.calls.map((args) => args.join(" ")).join("\n");
  logged.mockRestore();
  return { res, workerLog, lines: workerLog.split("\n").filter((l) => l.includes(marker)) };
}

describe("Foundation Model API catalogue", () => {
  it("lists the enabled models as READY FOUNDATION_MODEL_API endpoints, to every user", async () => {
    const alice = await createUserWithToken("alice@example.com");
    const res = await call("GET", "/api/2.0/serving-endpoints", { token: alice.token });
    expect(res.status, res.text).toBe(200);
    const listed = res.json.endpoints.filter((e: any) => e.endpoint_type === "FOUNDATION_MODEL_API");
    expect(listed.map((e: any) => e.name).sort()).toEqual([BGE, LLAMA_8B, LLAMA_70B].sort());
    const llama = listed.find((e: any) => e.name === LLAMA_70B);
    expect(llama).toMatchObject({
      task: "llm/v1/chat",
      state: { ready: "READY", config_update: "NOT_UPDATING" },
      permission_level: "CAN_QUERY",
      config: { served_entities: [{ name: LLAMA_70B, foundation_model: { name: "meta_llama_v3_3_70b_instruct" } }] },
    });
    expect(llama.config.served_entities[0].foundation_model.display_name).toBe("Meta Llama 3.3 70B Instruct");
    expect(listed.find((e: any) => e.name === BGE).task).toBe("llm/v1/embeddings");
  });

  it("answers GET by name; a catalogue model not enabled is a 404", async () => {
    const res = await call("GET", `/api/2.0/serving-endpoints/${LLAMA_8B}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ name: LLAMA_8B, endpoint_type: "FOUNDATION_MODEL_API", task: "llm/v1/chat" });
    expect(res.json.config.served_entities[0].state.deployment).toBe("DEPLOYMENT_READY");
    const off = await call("GET", "/api/2.0/serving-endpoints/databricks-gte-large-en");
    expect(off.status).toBe(404);
  });

  it("is NOT_READY, and refuses queries, when the Workers AI binding is missing", async () => {
    const { AI: _, ...withoutAi } = foundationEnv;
    const res = await call("GET", `/api/2.0/serving-endpoints/${LLAMA_70B}`, { bindings: withoutAi });
    expect(res.json.state.ready).toBe("NOT_READY");
    expect(res.json.config.served_entities[0].state.deployment_state_message).toContain('[ai] binding = "AI"');
    const query = await call("POST", `/serving-endpoints/${LLAMA_70B}/invocations`, {
      bindings: withoutAi,
      body: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(query.status).toBe(400);
    expect(query.json.error_code).toBe("INVALID_STATE");
  });

  it("an unusable operator config lists none and says why on a catalogue name, naming the field", async () => {
    const broken = {
      ...foundationEnv,
      EDGESERVE_FOUNDATION_MODELS: JSON.stringify({ [BGE]: { backend: "inference" } }),
    };
    const list = await call("GET", "/api/2.0/serving-endpoints", { bindings: broken });
    expect(list.status).toBe(200);
    expect(list.json.endpoints.filter((e: any) => e.endpoint_type === "FOUNDATION_MODEL_API")).toEqual([]);
    const res = await call("GET", `/api/2.0/serving-endpoints/${BGE}`, { bindings: broken });
    expect(res.status).toBe(503);
    expect(res.json.message).toContain("price_per_million_tokens");
  });

  it("is read-only: config, ai-gateway, delete and a create under its name are refused, nothing changes", async () => {
    const put = await call("PUT", `/api/2.0/serving-endpoints/${LLAMA_70B}/config`, { body: { served_entities: [] } });
    expect(put.status).toBe(400);
    expect(put.json).toMatchObject({ error_code: "BAD_REQUEST" });
    expect(put.json.message).toContain("read-only");
    const gateway = await call("PUT", `/api/2.0/serving-endpoints/${LLAMA_70B}/ai-gateway`, {
      body: { usage_tracking_config: { enabled: false } },
    });
    expect(gateway.status).toBe(400);
    expect((await call("DELETE", `/api/2.0/serving-endpoints/${LLAMA_70B}`)).status).toBe(400);
    const create = await call("POST", "/api/2.0/serving-endpoints", { body: { name: LLAMA_70B } });
    expect(create.status).toBe(409);
    expect((await call("GET", `/api/2.0/serving-endpoints/${LLAMA_70B}`)).json.state.ready).toBe("READY");
  });
});

describe("querying a Workers AI foundation model (stand-in binding)", () => {
  it("answers /invocations with a chat completion, and records tokens and cost", async () => {
    const res = await call("POST", `/serving-endpoints/${LLAMA_70B}/invocations`, {
      body: { messages: [{ role: "user", content: "Say hello" }], max_tokens: 50, client_request_id: "c-1" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
    });
    expect(res.headers.get("served-model-name")).toBe(LLAMA_70B);
    expect(ai.calls.at(-1)).toEqual({
      model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
      inputs: { messages: [{ role: "user", content: "Say hello" }], max_tokens: 50 },
    });
    const usage = await usageOf(res.headers.get("x-request-id")!);
    expect(usage).toMatchObject({ provider: "workers-ai", promptTokens: 12, completionTokens: 2, status: 200 });
    expect(usage.costUsd).toBeCloseTo((12 * 0.5 + 2 * 1.5) / 1e6, 12);
    // The usage API sums it (through the hourly totals the D1 triggers keep, and the raw rows).
    const report = await vi.waitFor(
      async () => {
        const res = await call("GET", `/api/2.0/serving-endpoints/${LLAMA_70B}/usage?group_by=served_entity`);
        expect(res.json.usage[0]?.request_count).toBeGreaterThan(0);
        return res.json.usage[0];
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(report.cost_usd).toBeCloseTo(report.input_tokens * 0.5e-6 + report.output_tokens * 1.5e-6, 10);
    expect(report.cost_usd).toBeGreaterThan(0);
    // A range of whole hours is read from the hourly totals alone: the triggers summed the cost there too.
    const hour = 3_600_000;
    const start = Math.floor(usage.timestamp / hour) * hour;
    const range = `start_time=${start}&end_time=${start + hour}`;
    const hourly = await call("GET", `/api/2.0/serving-endpoints/${LLAMA_70B}/usage?group_by=served_entity&${range}`);
    expect(hourly.json.usage[0].cost_usd).toBeCloseTo(report.cost_usd, 10);
  });

  it("streams through the OpenAI-compatible route with model = endpoint name", async () => {
    const res = await call("POST", "/serving-endpoints/chat/completions", {
      body: { model: LLAMA_70B, messages: [{ role: "user", content: "Say hello" }], stream: true },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    const chunks = sseData(res.text);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Hello there");
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    const last = chunks.at(-1);
    expect(last.choices[0].finish_reason).toBe("stop");
    expect(last.usage).toEqual({ prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 });
    const usage = await usageOf(res.headers.get("x-request-id")!);
    expect(usage).toMatchObject({ stream: true, promptTokens: 12, completionTokens: 2 });
  });

  it("passes tools and answers the model's tool call in OpenAI's form", async () => {
    const tools = [
      {
        type: "function",
        function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: {} } },
      },
    ];
    const res = await call("POST", `/serving-endpoints/${LLAMA_70B}/invocations`, {
      body: { messages: [{ role: "user", content: "Weather in Paris?" }], tools },
    });
    expect(res.status, res.text).toBe(200);
    expect(ai.calls.at(-1)!.inputs.tools).toEqual(tools);
    const choice = res.json.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.tool_calls).toEqual([
      { id: expect.any(String), type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    ]);
  });

  it("refuses what Workers AI cannot do with a 400 naming the field, without calling it", async () => {
    const before = ai.calls.length;
    const res = await call("POST", `/serving-endpoints/${LLAMA_70B}/invocations`, {
      body: { messages: [{ role: "user", content: "hi" }], stop: ["\n"] },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("'stop'");
    expect(ai.calls.length).toBe(before);
    // Recorded, as every query that reached the model's entity, and not charged.
    expect(await usageOf(res.headers.get("x-request-id")!)).toMatchObject({ status: 400, costUsd: 0 });
  });

  it("logs the cause of a stream that fails after its first bytes, once, with the request id", async () => {
    const failing = workersAiStandIn({ streamError: new Error("3040: Capacity temporarily exceeded") });
    const { res, lines } = await errorLogOf(
      () =>
        call("POST", `/serving-endpoints/${LLAMA_70B}/invocations`, {
          bindings: { ...foundationEnv, AI: failing.binding },
          body: { messages: [{ role: "user", content: "Say hello" }], stream: true },
        }),
      "3040: Capacity temporarily exceeded",
    );
    expect(res.status).toBe(200);
    expect(sseData(res.text)[0].choices[0].delta.content).toBe("Hello");
    expect(res.text).toContain('"error_code":"BAD_GATEWAY"');
    expect(res.text).not.toContain("Capacity");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "error",
      requestId: res.headers.get("x-request-id"),
      status: 502,
      message: "The provider 'workers-ai' stream failed.",
    });
  });

  it("embeds through the OpenAI-compatible embeddings route", async () => {
    const res = await call("POST", "/serving-endpoints/embeddings", {
      body: { model: BGE, input: ["one", "three"], encoding_format: "float" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.map((d: any) => d.embedding)).toEqual([
      [3, 1, 0, -1],
      [5, 1, 0, -1],
    ]);
    expect(ai.calls.at(-1)).toEqual({ model: "@cf/baai/bge-large-en-v1.5", inputs: { text: ["one", "three"] } });
  });
});

describe("querying a foundation model on an OpenAI-compatible server", () => {
  it("forwards to the server with its model name, streamed and not", async () => {
    const upstream = fakeOpenAiUpstream();
    const res = await call("POST", `/serving-endpoints/${LLAMA_8B}/invocations`, {
      body: { messages: [{ role: "user", content: "hi" }], usage_context: { team: "a" } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.choices[0].message.content).toBe("Hello");
    expect(upstream.calls[0]!.url).toBe("http://vllm.test/v1/chat/completions");
    expect(upstream.calls[0]!.body.model).toBe("meta-llama/Llama-3.1-8B-Instruct");
    const streamed = await call("POST", `/serving-endpoints/${LLAMA_8B}/invocations`, {
      body: { messages: [{ role: "user", content: "hi" }], stream: true },
    });
    expect(streamed.status).toBe(200);
    expect(
      sseData(streamed.text)
        .map((c) => c.choices[0]?.delta?.content ?? "")
        .join(""),
    ).toBe("Hello");
    const usage = await usageOf(res.headers.get("x-request-id")!);
    expect(usage).toMatchObject({ provider: "openai-compatible", promptTokens: 5, completionTokens: 1 });
    expect(usage.costUsd).toBeCloseTo((5 * 0.5 + 1 * 1.5) / 1e6, 12);
  });

  it("logs the cause of a stream that fails after its first bytes once, the server's token cut out", async () => {
    const token = "sk-vllm-secret-456";
    const config = JSON.parse(CONFIG);
    config[LLAMA_8B].api_key_secret = "VLLM_TOKEN";
    const bindings = { ...foundationEnv, EDGESERVE_FOUNDATION_MODELS: JSON.stringify(config), VLLM_TOKEN: token };
    const upstream = fakeOpenAiUpstream({
      streamError: { message: `token ${token} over quota`, type: "server_error", code: "quota" },
    });
    const { res, workerLog, lines } = await errorLogOf(
      () =>
        call("POST", `/serving-endpoints/${LLAMA_8B}/invocations`, {
          bindings,
          body: { messages: [{ role: "user", content: "hi" }], stream: true },
        }),
      "failed mid-stream",
    );
    expect(upstream.calls[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('"content":"Hel"');
    expect(res.text).toContain('"error_code":"BAD_GATEWAY"');
    expect(res.text).not.toContain(token);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "error", requestId: res.headers.get("x-request-id"), status: 502 });
    expect(line.cause).toContain("token [REDACTED] over quota");
    expect(workerLog).not.toContain(token);
  });

  it("applies the operator's AI Gateway settings: an input guardrail blocks before the server is asked", async () => {
    const upstream = fakeOpenAiUpstream();
    const res = await call("POST", `/serving-endpoints/${LLAMA_8B}/invocations`, {
      body: { messages: [{ role: "user", content: "tell me the forbidden word" }] },
    });
    expect(res.status, res.text).toBe(400);
    expect(upstream.calls).toHaveLength(0);
    const got = await call("GET", `/api/2.0/serving-endpoints/${LLAMA_8B}`);
    expect(got.json.ai_gateway).toEqual({
      guardrails: { input: { invalid_keywords: ["forbidden"] } },
      usage_tracking_config: { enabled: true },
    });
  });
});
