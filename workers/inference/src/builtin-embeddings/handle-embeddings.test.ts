import { fetchWorker } from "../../test/fetch-worker";
import { beforeAll, describe, expect, it } from "vitest";
import { seedEncoderFiles } from "../../test/encoder-files";
import reference from "./reference-embeddings.json";

async function embed(body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetchWorker("https://inference/v1/embeddings", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

function cosine(a: number[], b: number[]): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

describe("POST /v1/embeddings (built-in Universal Sentence Encoder)", () => {
  // Runs before seeding: R2 is empty, so the model cannot load yet.
  it("answers 503 while the model files are not in R2, and loads them once they are", async () => {
    const missing = await embed({ texts: ["hello"] });
    expect(missing.status).toBe(503);
    expect(missing.json.error_code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(missing.json.message).toContain("builtin/universal-sentence-encoder/");
  });

  describe("with the model in R2", () => {
    beforeAll(seedEncoderFiles, 120_000);

    it("gives the vectors of the TF.js reference to 1e-4", async () => {
      const texts = reference.cases.map((c) => c.text);
      const { status, json } = await embed({ texts });
      expect(status).toBe(200);
      expect(json.model).toBe("universal-sentence-encoder");
      expect(json.tokens).toBe(reference.cases.reduce((n, c) => n + c.tokenIds.length, 0));
      expect(json.embeddings).toHaveLength(texts.length);
      json.embeddings.forEach((vector: number[], i: number) => {
        expect(vector).toHaveLength(512);
        const expected = reference.cases[i]!.embedding;
        const worst = Math.max(...vector.map((x, j) => Math.abs(x - expected[j]!)));
        expect(worst).toBeLessThan(1e-4);
      });
    });

    it("puts a paraphrase closer than an unrelated sentence", async () => {
      const { json } = await embed({
        texts: [
          "How do I reset my password?",
          "I forgot my password, how can I change it?",
          "The weather in Lisbon is sunny today.",
        ],
      });
      const [question, paraphrase, unrelated] = json.embeddings as number[][];
      const close = cosine(question!, paraphrase!);
      const far = cosine(question!, unrelated!);
      expect(close).toBeGreaterThan(0.5);
      expect(far).toBeLessThan(0.2);
      expect(close - far).toBeGreaterThan(0.3);
    });

    it("embeds a text the same alone as in a batch", async () => {
      const alone = await embed({ texts: ["A cat sat on the mat."] });
      const batch = await embed({
        texts: ["Something much longer comes first in this batch.", "A cat sat on the mat."],
      });
      const diff = alone.json.embeddings[0].map((x: number, j: number) => Math.abs(x - batch.json.embeddings[1][j]));
      expect(Math.max(...diff)).toBeLessThan(1e-4);
    });

    it.each([
      ["not JSON", "{texts:", "not valid JSON"],
      ["not an object", [1], "JSON object"],
      ["no texts", {}, "'texts' must be an array"],
      ["no strings", { texts: [] }, "1 to 256"],
      ["too many", { texts: Array.from({ length: 257 }, () => "a") }, "1 to 256"],
      ["a number", { texts: ["ok", 3] }, "'texts[1]' must be a string"],
      ["an empty text", { texts: [""] }, "'texts[0]' must not be empty"],
      ["a huge text", { texts: ["a".repeat(20_001)] }, "'texts[0]' is longer"],
    ])("refuses %s with 400 INVALID_PARAMETER_VALUE", async (_, body, message) => {
      const { status, json } = await embed(body);
      expect(status).toBe(400);
      expect(json.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(json.message).toContain(message);
    });

    it("refuses GET with 405", async () => {
      const res = await fetchWorker("https://inference/v1/embeddings");
      expect(res.status).toBe(405);
      expect(((await res.json()) as any).error_code).toBe("BAD_REQUEST");
    });
  });
});
