/**
 * palm end to end: PaLM is retired, so the gateway serves it with Google's Gemini API
 * (generativelanguage.googleapis.com/v1beta) using the endpoint's key as `x-goog-api-key`.
 */
import crypto from "node:crypto";
import { expect, it } from "vitest";
import { api, waitUntilReady } from "../helpers";
import { geminiProviderSuite } from "./_gemini-suite";

/** A key of Google's shape (the mock accepts AIza + 35 characters). */
const apiKey = `AIza${crypto.randomBytes(32).toString("base64url").slice(0, 35)}`;

geminiProviderSuite({
  provider: "palm",
  config: async () => ({ palm_api_key_plaintext: apiKey }),
  path: (model, method) => `/v1beta/models/${model}:${method}`,
  embeddingModel: "gemini-embedding-001",
  embeddingUsageExact: false,
  async checkAuth(headers) {
    expect(headers["x-goog-api-key"]).toBe(apiKey);
    expect(headers.authorization).toBeUndefined();
  },
  extra({ createEndpoint, received }) {
    it("serves a retired PaLM model name with its Gemini successor", async () => {
      const name = await createEndpoint("llm/v1/chat", "chat-bison-001");
      await waitUntilReady(name);
      const r = await api("POST", `/serving-endpoints/${name}/invocations`, {
        body: { messages: [{ role: "user", content: "hi bison" }] },
      });
      expect(r.status).toBe(200);
      expect(r.body.model).toBe("gemini-2.5-flash");
      expect(r.body.choices[0].message.content).toBe("Echo: hi bison");
      expect(
        (await received((x) => x.url.includes("/models/gemini-2.5-flash:generateContent"))).length,
      ).toBeGreaterThan(0);
    });

    it("embeds more than 100 texts in batches of 100 (batchEmbedContents' limit)", async () => {
      const name = await createEndpoint("llm/v1/embeddings", "gemini-embedding-001");
      await waitUntilReady(name);
      const input = Array.from({ length: 150 }, (_, i) => `text ${i}`);
      const r = await api("POST", `/serving-endpoints/${name}/invocations`, { body: { input } });
      expect(r.status).toBe(200);
      expect(r.body.data).toHaveLength(150);
      expect(r.body.data[149].index).toBe(149);
    });

    it("an API key Google calls invalid (its 400 API_KEY_INVALID) → 502 about the endpoint's credentials", async () => {
      const name = `palm-badkey-${crypto.randomBytes(4).toString("hex")}`;
      const created = await api("POST", "/api/2.0/serving-endpoints", {
        body: {
          name,
          config: {
            served_entities: [
              {
                name: "g",
                external_model: {
                  name: "gemini-2.0-flash",
                  provider: "palm",
                  task: "llm/v1/chat",
                  palm_config: { palm_api_key_plaintext: "not-a-key" },
                },
              },
            ],
          },
        },
      });
      expect(created.status).toBe(200);
      await waitUntilReady(name);
      const r = await api("POST", `/serving-endpoints/${name}/invocations`, {
        body: { messages: [{ role: "user", content: "x" }] },
      });
      expect(r.status).toBe(502);
      expect(r.body.message).toContain("rejected the endpoint's credentials");
      expect(r.text).not.toContain("not-a-key");
    });
  },
});
