/**
 * The built-in `embeddings` endpoint (Universal Sentence Encoder lite, run in the inference worker) that the
 * local stack creates on start, queried with OpenAI's SDK exactly as the README shows.
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { e2e } from "./helpers";

function client() {
  return new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });
}

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

describe("built-in embeddings endpoint, out of the box", () => {
  it("exists on a fresh stack as a ready llm/v1/embeddings endpoint", async () => {
    const res = await fetch(`${e2e().url}/api/2.0/serving-endpoints/embeddings`, {
      headers: { authorization: `Bearer ${e2e().adminToken}` },
    });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.task).toBe("llm/v1/embeddings");
    expect(body.state.ready).toBe("READY");
  });

  it(
    "gives meaningful 512-dim vectors through openai.embeddings.create: " +
      "a paraphrase is closer than an unrelated sentence",
    async () => {
      const res = await client().embeddings.create({
        model: "embeddings",
        input: [
          "How do I reset my password?",
          "I forgot my password, how can I change it?",
          "The weather in Lisbon is sunny today.",
        ],
      });
      expect(res.object).toBe("list");
      expect(res.model).toBe("universal-sentence-encoder");
      expect(res.data).toHaveLength(3);
      const [question, paraphrase, unrelated] = res.data.map((d) => d.embedding);
      expect(question).toHaveLength(512);
      const close = cosine(question!, paraphrase!);
      const far = cosine(question!, unrelated!);
      expect(close).toBeGreaterThan(0.5);
      expect(far).toBeLessThan(0.2);
      expect(res.usage.prompt_tokens).toBeGreaterThan(10);
      expect(res.usage.total_tokens).toBe(res.usage.prompt_tokens);
    },
  );

  it("answers the same vectors as floats (encoding_format: float) and as the SDK's default base64", async () => {
    const text = "A cat sat on the mat.";
    const viaBase64 = await client().embeddings.create({ model: "embeddings", input: text });
    const viaFloat = await client().embeddings.create({ model: "embeddings", input: text, encoding_format: "float" });
    viaBase64.data[0]!.embedding.forEach((x, i) => expect(x).toBeCloseTo(viaFloat.data[0]!.embedding[i]!, 6));
  });

  it("refuses bad input with a 400 the SDK raises as BadRequestError", async () => {
    await expect(client().embeddings.create({ model: "embeddings", input: "a", dimensions: 64 })).rejects.toMatchObject(
      {
        status: 400,
        error: { error_code: "INVALID_PARAMETER_VALUE" },
      },
    );
  });
});
