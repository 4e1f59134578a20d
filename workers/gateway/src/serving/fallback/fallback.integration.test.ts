import { env } from "cloudflare:workers";
import { openDatabase, queryOutcomes, usageRecords } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, callAndLeave } from "../../../test/client";
import { clearInferenceCalls, inferenceCalls, storeTestModel } from "../../../test/custom-models";
import { createReadyEndpoint } from "../../../test/endpoints";
import { fakeOpenAiUpstream } from "../../../test/fake-upstream";

/**
 * `ai_gateway.fallback_config` through the worker: an OpenAI-compatible upstream (global fetch, faked) that
 * answers per model name — a status, a connection that fails, a call that hangs until cancelled — or as
 * OpenAI does; each endpoint's entities name different models, so the upstream knows whom it is answering.
 */

type Behavior = "answers" | "unreachable" | "hangs" | 400 | 429 | 500 | 503;

let upstream: ReturnType<typeof upstreamByModel> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

function upstreamByModel(behaviors: Record<string, Behavior>) {
  const openai = fakeOpenAiUpstream();
  const answer = vi.mocked(globalThis.fetch).getMockImplementation()!;
  const calls: { model: string; body: any }[] = [];
  const state = { aborted: 0 };
  vi.mocked(globalThis.fetch).mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = (await request.clone().json()) as any;
    calls.push({ model: body.model, body });
    const behavior = behaviors[body.model] ?? "answers";
    if (behavior === "answers") return answer(request);
    if (behavior === "unreachable") throw new TypeError("Network connection lost.");
    if (behavior === "hangs")
      return new Promise<Response>((_, reject) =>
        request.signal.addEventListener("abort", () => {
          state.aborted++;
          reject(new DOMException("aborted", "AbortError"));
        }),
      );
    return Response.json(
      { error: { message: `${body.model} answers ${behavior}`, type: "server_error", param: null, code: null } },
      { status: behavior },
    );
  });
  return { calls, state, models: () => calls.map((c) => c.model), restore: openai.restore };
}

interface Entity {
  name: string;
  traffic: number;
}

/** A chat endpoint whose entities (provider `custom`) call the models `model-<entity name>`. */
function fallbackEndpoint(name: string, entities: Entity[], aiGateway: Record<string, unknown> = {}) {
  return {
    name,
    config: {
      served_entities: entities.map((e) => ({
        name: e.name,
        external_model: {
          name: `model-${e.name}`,
          provider: "custom",
          task: "llm/v1/chat",
          custom_provider_config: {
            custom_provider_url: "https://upstream.test/v1",
            bearer_token_auth: { token_plaintext: "sk-upstream-secret-123" },
          },
        },
      })),
      traffic_config: { routes: entities.map((e) => ({ served_entity_name: e.name, traffic_percentage: e.traffic })) },
    },
    ai_gateway: { fallback_config: { enabled: true }, ...aiGateway },
  };
}

/** Primary takes all traffic; backup (0 %) and spare (0 %) serve only as fallbacks, in that order. */
const THREE = [
  { name: "primary", traffic: 100 },
  { name: "backup", traffic: 0 },
  { name: "spare", traffic: 0 },
];

const chat = { messages: [{ role: "user", content: "hi" }] };
const ask = (endpoint: string, body: Record<string, unknown> = chat) =>
  call("POST", `/serving-endpoints/${endpoint}/invocations`, { body });

describe("fallbacks", () => {
  it("sends a query the picked entity fails with 5xx, 429 or no connection to the next entities in order", async () => {
    await createReadyEndpoint(fallbackEndpoint("fb-order", THREE));
    for (const failure of [500, 503, 429, "unreachable"] as const) {
      upstream = upstreamByModel({ "model-primary": failure, "model-backup": failure });
      const res = await ask("fb-order");
      expect(res.status, `${failure}: ${res.text}`).toBe(200);
      expect(res.headers.get("served-model-name"), String(failure)).toBe("spare");
      expect(res.json.choices[0].message.content).toBe("Hello");
      expect(upstream.models(), String(failure)).toEqual(["model-primary", "model-backup", "model-spare"]);
      upstream.restore();
    }
  });

  it("falls back before a stream's first byte, and the answer streams from the entity that answered", async () => {
    await createReadyEndpoint(fallbackEndpoint("fb-stream", THREE));
    upstream = upstreamByModel({ "model-primary": 503 });
    const res = await ask("fb-stream", { ...chat, stream: true });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("served-model-name")).toBe("backup");
    expect(res.text).toContain('"content":"Hel"');
    expect(res.text.trim().endsWith("data: [DONE]")).toBe(true);
    expect(upstream.models()).toEqual(["model-primary", "model-backup"]);
  });

  it("sends every attempt the same body, screened once by the input guardrails", async () => {
    await createReadyEndpoint(
      fallbackEndpoint("fb-body", THREE, { guardrails: { input: { pii: { behavior: "MASK" } } } }),
    );
    upstream = upstreamByModel({ "model-primary": 500, "model-backup": 500 });
    const res = await ask("fb-body", {
      messages: [{ role: "user", content: "mail me at jane.doe@example.com" }],
      temperature: 0.5,
    });
    expect(res.status, res.text).toBe(200);
    expect(upstream.calls).toHaveLength(3);
    const [first, ...others] = upstream.calls.map(({ body: { model: _model, ...body } }) => body);
    expect(first!.messages[0].content).not.toContain("jane.doe@example.com");
    expect(first!.temperature).toBe(0.5);
    for (const body of others) expect(body).toEqual(first);
  });

  it("runs the output guardrails once, on the answer that is returned", async () => {
    await createReadyEndpoint(
      fallbackEndpoint("fb-output", THREE, { guardrails: { output: { invalid_keywords: ["hello"] } } }),
    );
    upstream = upstreamByModel({ "model-primary": 503 });
    const res = await ask("fb-output");
    // The backup's answer ("Hello") is the one screened; the primary's error never reached the guardrail.
    expect(res.status, res.text).toBe(400);
    expect(res.json.message).toBe("Output blocked by guardrail 'invalid_keywords': found the keyword 'hello'.");
    expect(upstream.models()).toEqual(["model-primary", "model-backup"]);
  });

  it("answers the last error, as that entity alone would, when every entity fails", async () => {
    await createReadyEndpoint(fallbackEndpoint("fb-all-fail", THREE));
    await createReadyEndpoint(fallbackEndpoint("fb-alone", [{ name: "spare", traffic: 100 }]));
    upstream = upstreamByModel({ "model-primary": 503, "model-backup": 429, "model-spare": 500 });
    const res = await ask("fb-all-fail");
    expect(upstream.models()).toEqual(["model-primary", "model-backup", "model-spare"]);
    const alone = await ask("fb-alone");
    expect(res.status).toBe(502);
    expect(res.status).toBe(alone.status);
    expect(res.json.error_code).toBe("BAD_GATEWAY");
    expect(res.json.message).toBe(alone.json.message);
    expect(res.json.message).toContain("model-spare answers 500");
    expect(res.headers.get("served-model-name")).toBeNull();
  });

  it("does not fall back on the query's own fault (4xx): every entity would refuse it", async () => {
    await createReadyEndpoint(fallbackEndpoint("fb-4xx", THREE));
    upstream = upstreamByModel({ "model-primary": 400 });
    const res = await ask("fb-4xx");
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(upstream.models()).toEqual(["model-primary"]);
  });

  it("does not fall back when fallback_config is off or left out, nor on a route that names its entity", async () => {
    for (const [name, aiGateway] of [
      ["fb-off", { fallback_config: { enabled: false } }],
      ["fb-unset", {}],
    ] as const) {
      const { ai_gateway: _on, ...endpoint } = fallbackEndpoint(name, THREE);
      await createReadyEndpoint({ ...endpoint, ai_gateway: aiGateway });
      upstream = upstreamByModel({ "model-primary": 503 });
      const res = await ask(name);
      expect(res.status, name).toBe(503);
      expect(upstream.models(), name).toEqual(["model-primary"]);
      upstream.restore();
    }
    await createReadyEndpoint(fallbackEndpoint("fb-named", THREE));
    upstream = upstreamByModel({ "model-backup": 503 });
    const named = await call("POST", "/serving-endpoints/fb-named/served-models/backup/invocations", { body: chat });
    expect(named.status).toBe(503);
    expect(upstream.models()).toEqual(["model-backup"]);
  });

  it("never sends traffic to an entity at 0 % while the picked one answers", async () => {
    await createReadyEndpoint(
      fallbackEndpoint("fb-zero", [
        { name: "primary", traffic: 60 },
        { name: "backup", traffic: 0 },
        { name: "spare", traffic: 40 },
      ]),
    );
    upstream = upstreamByModel({});
    const served = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await ask("fb-zero");
      expect(res.status).toBe(200);
      served.add(res.headers.get("served-model-name")!);
    }
    expect(served.has("backup")).toBe(false);
    expect(upstream.models()).not.toContain("model-backup");
  });

  it("tries no other entity once the client has gone away", async () => {
    await createReadyEndpoint(fallbackEndpoint("fb-cancel", THREE));
    upstream = upstreamByModel({ "model-primary": "hangs" });
    await callAndLeave("/serving-endpoints/fb-cancel/invocations", { ...chat, stream: true }, () =>
      vi.waitFor(() => expect(upstream!.calls).toHaveLength(1)),
    );
    await vi.waitFor(() => expect(upstream!.state.aborted).toBe(1), { timeout: 3000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.models()).toEqual(["model-primary"]);
  });

  it("records every attempt: a usage record and a query outcome per entity tried, with its status", async () => {
    await createReadyEndpoint(fallbackEndpoint("fb-records", THREE, { usage_tracking_config: { enabled: true } }));
    upstream = upstreamByModel({ "model-primary": 503 });
    const res = await ask("fb-records", { ...chat, client_request_id: "fallback-1" });
    expect(res.status, res.text).toBe(200);
    const requestId = res.headers.get("x-request-id")!;
    const db = openDatabase(env.DB);
    const usage = await vi.waitFor(
      async () => {
        const rows = await db.select().from(usageRecords).where(eq(usageRecords.requestId, requestId));
        expect(rows).toHaveLength(2);
        return rows;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(usage.map((r) => [r.servedEntity, r.status, r.clientRequestId]).sort()).toEqual([
      ["backup", 200, "fallback-1"],
      ["primary", 503, "fallback-1"],
    ]);
    const outcomes = await vi.waitFor(
      async () => {
        const rows = await db.select().from(queryOutcomes).where(eq(queryOutcomes.requestId, requestId));
        expect(rows).toHaveLength(2);
        return rows;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(outcomes.map((o) => [o.servedEntity, o.statusCode]).sort()).toEqual([
      ["backup", 200],
      ["primary", 503],
    ]);
    const metrics = await call("GET", "/api/2.0/serving-endpoints/fb-records/metrics");
    expect(metrics.status, metrics.text).toBe(200);
    expect(metrics.text).toContain(
      'edgeserve_requests_total{endpoint="fb-records",served_entity="primary",status_code="503"} 1',
    );
    expect(metrics.text).toContain(
      'edgeserve_requests_total{endpoint="fb-records",served_entity="backup",status_code="200"} 1',
    );
  });

  it("falls back between registry models too (an Edgeserve extension: Databricks has it for external models only)", {
    timeout: 60_000,
  }, async () => {
    // The fake inference worker answers 500 for every `crashing-model` (test/fake-inference.ts).
    await storeTestModel("crashing-model", "1", "flavors:\n  transformers:\n    task: text-classification\n", {
      "model/config.json": "{}",
      "model/onnx/model.onnx": "onnx bytes",
    });
    await storeTestModel("main.ml.fallback-backup", "1", "flavors:\n  onnx:\n    data: model.onnx\n");
    await createReadyEndpoint({
      name: "fb-registry",
      config: {
        served_entities: [
          { name: "crashing", entity_name: "crashing-model", entity_version: "1", workload_size: "Small" },
          { name: "steady", entity_name: "main.ml.fallback-backup", entity_version: "1", workload_size: "Small" },
        ],
        traffic_config: {
          routes: [
            { served_entity_name: "crashing", traffic_percentage: 100 },
            { served_entity_name: "steady", traffic_percentage: 0 },
          ],
        },
      },
      ai_gateway: { fallback_config: { enabled: true } },
    });
    await clearInferenceCalls();
    const res = await ask("fb-registry", { inputs: [[1, 2, 3]] });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("served-model-name")).toBe("steady");
    expect(res.json).toEqual({ predictions: [6] });
    const models = (await inferenceCalls()).map((c) => c.model.key.split("/")[0]);
    expect(models).toEqual(["crashing-model", "main.ml.fallback-backup"]);
  });
});
