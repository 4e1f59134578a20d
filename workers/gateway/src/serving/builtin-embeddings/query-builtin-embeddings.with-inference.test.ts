import { beforeAll, describe, expect, it } from "vitest";
import { seedEncoderFiles } from "../../../../inference/test/encoder-files";
import { call } from "../../../test/client";
import { createReadyEndpoint, waitUntilSettled } from "../../../test/endpoints";

const builtinEndpoint = (name: string, version = "1") => ({
  name,
  config: {
    served_entities: [{ name: "use", entity_name: "system.ai.universal_sentence_encoder", entity_version: version }],
  },
});

function cosine(a: number[], b: number[]): number {
  let dot = 0,
    na = 0,
    nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
}

describe("built-in embeddings endpoint (through the real inference worker)", () => {
  it("fails the deployment while the model files are missing", async () => {
    const res = await call("POST", "/api/2.0/serving-endpoints", { body: builtinEndpoint("emb-missing") });
    expect(res.status, res.text).toBe(200);
    const settled = await waitUntilSettled("emb-missing");
    expect(settled.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
    expect(settled.task).toBe("llm/v1/embeddings");
    const problem =
      "The encoder's files are not in R2 (builtin/universal-sentence-encoder/model.json); " +
      "infra/deploy.mjs and the local stack upload them " +
      "(infra/builtin-models.mjs). Update the config once they are there.";
    expect(settled.pending_config.served_entities[0].state).toEqual({
      deployment: "DEPLOYMENT_FAILED",
      deployment_state_message: problem,
    });
    const logs = await call("GET", "/api/2.0/serving-endpoints/emb-missing/served-models/use/build-logs");
    expect(logs.json.logs).toContain(`ERROR ${problem}`);
    const query = await call("POST", "/serving-endpoints/embeddings", {
      body: { model: "emb-missing", input: "hello" },
    });
    expect(query.status, query.text).toBe(400);
    expect(query.json.error_code).toBe("INVALID_STATE");
  });

  it("fails the deployment of an unknown version", async () => {
    const res = await call("POST", "/api/2.0/serving-endpoints", { body: builtinEndpoint("emb-v9", "9") });
    expect(res.status).toBe(200);
    const settled = await waitUntilSettled("emb-v9");
    expect(settled.state).toEqual({ ready: "NOT_READY", config_update: "UPDATE_FAILED" });
    const logs = await call("GET", "/api/2.0/serving-endpoints/emb-v9/served-models/use/build-logs");
    expect(logs.json.logs).toContain("ERROR 'system.ai.universal_sentence_encoder' has no version '9'; available: 1.");
  });

  describe("with the model files in R2", () => {
    beforeAll(async () => {
      await seedEncoderFiles();
      await createReadyEndpoint(builtinEndpoint("emb"));
    }, 120_000);

    it("a config update deploys the endpoint whose first deployment failed for want of the files", async () => {
      const update = await call("PUT", "/api/2.0/serving-endpoints/emb-missing/config", {
        body: builtinEndpoint("emb-missing").config,
      });
      expect(update.status, update.text).toBe(200);
      expect((await waitUntilSettled("emb-missing")).state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
    });

    it("answers OpenAI's embeddings shape with 512-dim vectors that put a paraphrase closest", async () => {
      const input = [
        "How do I reset my password?",
        "I forgot my password, how can I change it?",
        "The weather in Lisbon is sunny today.",
      ];
      const res = await call("POST", "/serving-endpoints/embeddings", { body: { model: "emb", input } });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get("served-model-name")).toBe("use");
      expect(res.json.object).toBe("list");
      expect(res.json.model).toBe("universal-sentence-encoder");
      expect(res.json.data.map((d: any) => [d.object, d.index, d.embedding.length])).toEqual([
        ["embedding", 0, 512],
        ["embedding", 1, 512],
        ["embedding", 2, 512],
      ]);
      expect(res.json.usage.prompt_tokens).toBeGreaterThan(15);
      expect(res.json.usage.total_tokens).toBe(res.json.usage.prompt_tokens);
      const [q, paraphrase, unrelated] = res.json.data.map((d: any) => d.embedding);
      expect(cosine(q, paraphrase)).toBeGreaterThan(cosine(q, unrelated) + 0.3);
    });

    it("answers base64 float32 vectors equal to the float ones, through /invocations too", async () => {
      const floats = await call("POST", "/serving-endpoints/emb/invocations", {
        body: { input: "A cat sat on the mat." },
      });
      const b64 = await call("POST", "/serving-endpoints/emb/invocations", {
        body: { input: "A cat sat on the mat.", encoding_format: "base64" },
      });
      expect(b64.status, b64.text).toBe(200);
      const bytes = Uint8Array.from(atob(b64.json.data[0].embedding), (c) => c.charCodeAt(0));
      const decoded = [...new Float32Array(bytes.buffer)];
      expect(decoded).toHaveLength(512);
      decoded.forEach((x, i) => expect(x).toBeCloseTo(floats.json.data[0].embedding[i], 6));
    });

    it("embeds more texts than one inference batch, in input order", async () => {
      const input = Array.from({ length: 70 }, (_, i) =>
        i === 69 ? "How do I reset my password?" : `sentence number ${i}`,
      );
      const many = await call("POST", "/serving-endpoints/embeddings", { body: { model: "emb", input } });
      expect(many.status, many.text).toBe(200);
      expect(many.json.data).toHaveLength(70);
      expect(many.json.data.map((d: any) => d.index)).toEqual([...input.keys()]);
      const alone = await call("POST", "/serving-endpoints/embeddings", {
        body: { model: "emb", input: "How do I reset my password?" },
      });
      expect(cosine(many.json.data[69].embedding, alone.json.data[0].embedding)).toBeGreaterThan(0.9999);
    });

    it.each([
      ["no input", {}, "'input'"],
      ["an empty text", { input: ["ok", ""] }, "'input[1]': must not be empty"],
      ["a number in the list", { input: ["ok", 3] }, "input"],
      ["other dimensions", { input: "a", dimensions: 128 }, "'dimensions'"],
      ["streaming", { input: "a", stream: true }, "Streaming is not supported"],
    ])("refuses %s with 400 naming the field", async (_, body, message) => {
      const res = await call("POST", "/serving-endpoints/embeddings", { body: { model: "emb", ...body } });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(res.json.message).toContain(message);
    });
  });
});
