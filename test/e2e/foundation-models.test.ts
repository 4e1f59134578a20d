/**
 * Foundation Model APIs on the e2e stack (test/global-setup.ts enables them): `databricks-gte-large-en` on the
 * inference worker's encoder (offline), two chat models on the mock OpenAI-compatible server, one of them with
 * small pay-per-token limits. Queried with the openai SDK, the Databricks SDK and curl (docs/foundation-models.md).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { WorkspaceClient } from "@databricks/sdk-experimental";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { cosineSimilarity as cosine } from "../../workers/gateway/src/guardrails/cosine-similarity";
import { databricksAgent } from "../tls-front";
import { api, e2e, mockRequests } from "./helpers";

const GTE = "databricks-gte-large-en";
const LLAMA = "databricks-meta-llama-3-1-8b-instruct";
const LIMITED = "databricks-gpt-oss-20b";

function openai() {
  return new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });
}

function workspace() {
  const { tlsUrl, ca, adminToken } = e2e();
  return new WorkspaceClient(
    { host: tlsUrl, token: adminToken, authType: "pat", configFile: "/dev/null", retryTimeoutSeconds: 30 },
    { agent: databricksAgent(ca), product: "edgeserve-e2e", productVersion: "0.1.0" },
  );
}

describe("Foundation Model API catalogue on the local stack", () => {
  it("is listed with endpoint_type FOUNDATION_MODEL_API, its task and foundation_model, READY", async () => {
    const res = await api("GET", "/api/2.0/serving-endpoints");
    expect(res.status).toBe(200);
    const foundation = res.body.endpoints.filter((e: any) => e.endpoint_type === "FOUNDATION_MODEL_API");
    expect(foundation.map((e: any) => e.name).sort()).toEqual([LIMITED, GTE, LLAMA].sort());
    expect(foundation.find((e: any) => e.name === GTE)).toMatchObject({
      task: "llm/v1/embeddings",
      state: { ready: "READY" },
      config: { served_entities: [{ name: GTE, foundation_model: { name: "gte_large_en_v1_5" } }] },
    });
  });

  it("is seen and queried through the Databricks SDK: list, get, and embeddings with query()", async () => {
    const w = workspace();
    const names: string[] = [];
    for await (const e of w.servingEndpoints.list()) names.push(e.name!);
    expect(names).toContain(GTE);
    const got = await w.servingEndpoints.get({ name: GTE });
    expect(got).toMatchObject({ endpoint_type: "FOUNDATION_MODEL_API", task: "llm/v1/embeddings" });
    const answer = await w.servingEndpoints.query({ name: GTE, input: ["Edgeserve runs on Cloudflare Workers."] });
    expect(answer.data?.[0]?.embedding).toHaveLength(512);
    await expect(w.servingEndpoints.delete({ name: GTE })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("answers embeddings offline through the openai SDK: 512-dim vectors of the built-in encoder", async () => {
    const res = await openai().embeddings.create({
      model: GTE,
      input: [
        "How do I reset my password?",
        "I forgot my password, how can I change it?",
        "The weather in Lisbon is sunny today.",
      ],
    });
    expect(res.model).toBe("universal-sentence-encoder");
    const [question, paraphrase, unrelated] = res.data.map((d) => d.embedding);
    expect(question).toHaveLength(512);
    expect(cosine(question!, paraphrase!)).toBeGreaterThan(cosine(question!, unrelated!) + 0.3);
  });
});

describe("a chat foundation model on an OpenAI-compatible server", () => {
  it(
    "answers through the openai SDK, streamed and not, " + "with the operator's token and model name upstream",
    async () => {
      const answer = await openai().chat.completions.create({
        model: LLAMA,
        messages: [{ role: "user", content: "hello foundation" }],
      });
      expect(answer.choices[0]!.message.content).toBe("Echo: hello foundation");
      const sent = (await mockRequests({ model: "local-llama-3.1-8b" })).at(-1)!;
      expect(sent.headers.authorization).toMatch(/^Bearer sk-foundation-/);

      const stream = await openai().chat.completions.create({
        model: LLAMA,
        messages: [{ role: "user", content: "hello stream" }],
        stream: true,
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      expect(text).toBe("Echo: hello stream");
    },
  );

  it("shows the cost of its calls in the usage API", async () => {
    await openai().chat.completions.create({ model: LLAMA, messages: [{ role: "user", content: "count my cost" }] });
    const deadline = Date.now() + 30_000;
    let row: any;
    for (;;) {
      const res = await api("GET", `/api/2.0/serving-endpoints/${LLAMA}/usage?group_by=served_entity`);
      row = res.body.usage?.[0];
      if ((row?.request_count ?? 0) >= 1 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(row.request_count).toBeGreaterThanOrEqual(1);
    expect(row.cost_usd).toBeCloseTo((row.input_tokens * 0.5 + row.output_tokens * 1.5) / 1e6, 10);
    expect(row.cost_usd).toBeGreaterThan(0);
  });
});

describe.skipIf(!e2e().upstash)("pay-per-token limits on the real redis-server", () => {
  const ask = (maxTokens: number) =>
    api("POST", `/serving-endpoints/${LIMITED}/invocations`, {
      body: { messages: [{ role: "user", content: "hi" }], max_tokens: maxTokens },
    });

  it("max_tokens above 100 output tokens per minute could never fit: 400, and no query is counted", async () => {
    const res = await ask(500);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("lower max_tokens");
  });

  it("2 queries per hour: the third gets 429 with Retry-After until the hour resets", async () => {
    // 40 + 40 reserved output tokens fit in the minute's 100 whether or not the first has been settled yet.
    expect((await ask(40)).status).toBe(200);
    expect((await ask(40)).status).toBe(200);
    const third = await ask(10);
    expect(third.status).toBe(429);
    expect(third.body.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
    expect(third.body.message).toContain("2 queries per hour");
    const retryAfter = Number(third.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
  });
});

describe("docs/foundation-models.md worked example", () => {
  it("runs as written: lists the catalogue and embeds offline", async () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/foundation-models.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Worked example"));
    const start = section.indexOf("```sh\n") + 6;
    const script = section.slice(start, section.indexOf("\n```", start));
    // HOST and TOKEN come from the e2e stack instead of the local dev stack's files.
    const body = script.replace(/^export HOST=.*$/m, "");
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        "bash",
        ["-euo", "pipefail", "-c", body],
        { env: { ...process.env, HOST: e2e().url, TOKEN: e2e().adminToken } },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    const [listing, answer] = [stdout.slice(0, stdout.indexOf("{")), stdout.slice(stdout.indexOf("{"))];
    expect(listing.trim().split("\n")).toContain(GTE);
    const embeddings = JSON.parse(answer);
    expect(embeddings).toMatchObject({ object: "list", model: "universal-sentence-encoder" });
    expect(embeddings.data[0].embedding).toHaveLength(512);
  });
});
