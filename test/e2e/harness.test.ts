/**
 * The harness itself: the stack answers, authentication is enforced, the mock upstream speaks
 * OpenAI's format well enough for OpenAI's own SDK, and the TLS front is trusted by the Databricks SDK.
 */
import https from "node:https";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { embeddingFor, startMockUpstream } from "../mocks/openai-compatible-upstream";
import { databricksAgent } from "../tls-front";
import { api, e2e } from "./helpers";

describe("local stack", () => {
  it("answers GET /health without credentials", async () => {
    const r = await api("GET", "/health", { token: null });
    expect(r.status).toBe(200);
  });

  it("answers 401 UNAUTHENTICATED without a token, in the Databricks error shape", async () => {
    for (const path of ["/api/2.0/serving-endpoints", "/serving-endpoints/x/invocations"]) {
      const r = await api(path.includes("invocations") ? "POST" : "GET", path, {
        token: null,
        body: path.includes("invocations") ? {} : undefined,
      });
      expect(r.status, r.text).toBe(401);
      expect(r.body).toMatchObject({ error_code: "UNAUTHENTICATED", message: expect.any(String) });
    }
  });

  it("answers 401 to an unknown token", async () => {
    const r = await api("GET", "/api/2.0/serving-endpoints", { token: "dapi-not-a-real-token" });
    expect(r.status).toBe(401);
    expect(r.body.error_code).toBe("UNAUTHENTICATED");
  });

  it("reaches the same stack through the TLS front with a trusted certificate", async () => {
    const { tlsUrl, ca } = e2e();
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(`${tlsUrl}/health`, { agent: databricksAgent(ca) }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on("error", reject);
    });
    expect(status).toBe(200);
  });

  it("is not trusted without the certificate (the check is real)", async () => {
    const { tlsUrl } = e2e();
    const error = await new Promise<Error | null>((resolve) => {
      https
        .get(`${tlsUrl}/health`, { agent: new https.Agent({ ca: [] as string[] }) }, (res) => {
          res.resume();
          resolve(null);
        })
        .on("error", resolve);
    });
    expect(error?.message ?? "").toMatch(/self[- ]signed|certificate/i);
  });
});

describe("mock OpenAI-compatible upstream, driven by OpenAI's SDK", () => {
  async function withMock(fn: (client: OpenAI, mock: Awaited<ReturnType<typeof startMockUpstream>>) => Promise<void>) {
    const mock = await startMockUpstream({ credentials: [{ header: "authorization", value: "Bearer sk-mock" }] });
    try {
      await fn(new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: "sk-mock", maxRetries: 0 }), mock);
    } finally {
      await mock.close();
    }
  }

  it("answers chat completions, plain and streamed with usage", async () => {
    await withMock(async (client) => {
      const plain = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "hi there" }],
      });
      expect(plain.object).toBe("chat.completion");
      expect(plain.choices[0]?.message.content).toBe("Echo: hi there");
      expect(plain.usage?.total_tokens).toBeGreaterThan(0);

      const stream = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: [{ type: "text", text: "streamed words" }] }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let usage: unknown = null;
      for await (const chunk of stream) {
        expect(chunk.object).toBe("chat.completion.chunk");
        text += chunk.choices[0]?.delta.content ?? "";
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe("Echo: streamed words");
      expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    });
  });

  it("answers completions and embeddings (float and base64)", async () => {
    await withMock(async (client) => {
      const c = await client.completions.create({ model: "m", prompt: "say" });
      expect(c.choices[0]?.text).toBe(" Echo: say");
      const e = await client.embeddings.create({ model: "m", input: ["a", "b"] });
      expect(e.data).toHaveLength(2);
      expect(e.data[0]!.embedding[0]).toBeCloseTo(embeddingFor("a")[0]!, 5);
      const f = await client.embeddings.create({ model: "m", input: "a", encoding_format: "float" });
      expect(f.data[0]!.embedding).toEqual(embeddingFor("a"));
    });
  });

  it("rejects a wrong key, Databricks-only fields and malformed messages like OpenAI does", async () => {
    await withMock(async (client, mock) => {
      const wrong = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: "sk-wrong", maxRetries: 0 });
      await expect(
        wrong.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
      ).rejects.toMatchObject({
        status: 401,
        code: "invalid_api_key",
      });
      await expect(
        client.chat.completions.create({
          model: "m",
          messages: [{ role: "user", content: "x" }],
          client_request_id: "r1",
        } as never),
      ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("client_request_id") });
      await expect(
        client.chat.completions.create({ model: "m", messages: [{ role: "user", content: { text: "x" } }] } as never),
      ).rejects.toMatchObject({
        status: 400,
        param: "messages[0].content",
      });
      await expect(
        client.chat.completions.create({ model: "fail-429", messages: [{ role: "user", content: "x" }] }),
      ).rejects.toMatchObject({ status: 429 });
      await expect(
        client.chat.completions.create({ model: "fail-500", messages: [{ role: "user", content: "x" }] }),
      ).rejects.toMatchObject({ status: 500 });
      const statuses = mock.requests.map((r) => r.status);
      expect(statuses).toEqual([401, 400, 400, 429, 500]);
      expect(mock.requests[1]!.body).toMatchObject({ client_request_id: "r1" });
    });
  });
});
