/**
 * The transformers path end to end: the generated MiniLM-shaped BERT fixtures (MLflow `transformers` flavor,
 * ~115 MB each) are published with `infra/publish-model.mjs`, served, and queried on the real stack. The
 * served answers are compared with transformers.js run here in Node (onnxruntime-node) on the same files.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { env, pipeline } from "@huggingface/transformers";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureMiniLmFixtures, type MiniLmFixturePaths, type MiniLmTask } from "../fixtures/models/minilm.mjs";
import { expectClose, invoke, publishModel, serveModel } from "./custom-models-helpers";

const SENTENCES = ["a sentence", "Ada Lovelace lived in London.", "The weather in Lisbon is sunny today."];
// WASM (in the worker) against native onnxruntime (here): float32 sums in another order.
const CROSS_RUNTIME_TOLERANCE = 1e-4;

let paths: Record<MiniLmTask, MiniLmFixturePaths>;

beforeAll(() => {
  paths = ensureMiniLmFixtures();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = "";
}, 300_000);

async function publishAndServe(task: MiniLmTask, label: string): Promise<string> {
  const { name, version } = await publishModel(paths[task].mlflowDir, label);
  return serveModel(name, version, `cm-${label}`);
}

describe("MiniLM feature-extraction published, served and queried end to end", () => {
  let endpoint: string;
  let reference: number[][];

  beforeAll(async () => {
    endpoint = await publishAndServe("feature-extraction", "minilm_fe");
    const pipe = await pipeline("feature-extraction", paths["feature-extraction"].filesDir, {
      dtype: "fp32",
      device: "cpu",
    });
    reference = (await pipe(SENTENCES, { pooling: "mean", normalize: true })).tolist() as number[][];
    await pipe.dispose();
  }, 600_000);

  it(
    '{"inputs": ["a sentence"]} gives one normalized 384-dim ' + "vector, equal to transformers.js on the same files",
    async () => {
      const r = await invoke(endpoint, { inputs: ["a sentence"] });
      expect(r.status, r.text).toBe(200);
      expect(r.body.predictions).toHaveLength(1);
      const [vector] = r.body.predictions as number[][];
      expect(vector).toHaveLength(384);
      expect(Math.hypot(...vector!)).toBeCloseTo(1, 5);
      expectClose(vector, reference[0], CROSS_RUNTIME_TOLERANCE);
    },
  );

  it("a batch gives one vector per text, each as if sent alone, and the same answer every time", async () => {
    const first = await invoke(endpoint, { inputs: SENTENCES });
    const second = await invoke(endpoint, { inputs: SENTENCES });
    expect(first.status, first.text).toBe(200);
    expect(first.body.predictions).toHaveLength(3);
    expect(second.body.predictions).toEqual(first.body.predictions);
    expectClose(first.body.predictions, reference, CROSS_RUNTIME_TOLERANCE);
    const alone = await invoke(endpoint, { inputs: [SENTENCES[1]] });
    expectClose(alone.body.predictions[0], first.body.predictions[1], 1e-5);
    // Different texts, different vectors.
    expect(first.body.predictions[0]).not.toEqual(first.body.predictions[1]);
  });

  it("takes the texts as instances, as a one-column dataframe, and as CSV", async () => {
    const instances = await invoke(endpoint, { instances: SENTENCES.slice(0, 2) });
    const split = await invoke(endpoint, {
      dataframe_split: { columns: ["text"], data: SENTENCES.slice(0, 2).map((s) => [s]) },
    });
    const csv = await invoke(endpoint, `text\n${SENTENCES[0]}\n${SENTENCES[1]}\n`, "text/csv");
    for (const r of [instances, split, csv]) {
      expect(r.status, r.text).toBe(200);
      expectClose(r.body.predictions, reference.slice(0, 2), CROSS_RUNTIME_TOLERANCE);
    }
  });

  it("refuses numbers where the signature wants text", async () => {
    const r = await invoke(endpoint, { inputs: [1, 2] });
    expect(r.status, r.text).toBe(400);
    expect(r.body.message).toMatch(/Failed to enforce schema/);
  });
});

describe("MiniLM text-classification published, served and queried end to end", () => {
  let endpoint: string;
  let labels: string[];
  let reference: { label: string; score: number }[];

  beforeAll(async () => {
    endpoint = await publishAndServe("text-classification", "minilm_tc");
    labels = Object.values(
      JSON.parse(fs.readFileSync(paths["text-classification"].config, "utf8")).id2label as Record<string, string>,
    );
    const pipe = await pipeline("text-classification", paths["text-classification"].filesDir, {
      dtype: "fp32",
      device: "cpu",
    });
    reference = (await pipe(SENTENCES, { top_k: 1 })).map((r: any) => (Array.isArray(r) ? r[0] : r));
    await pipe.dispose();
  }, 600_000);

  it("answers {label, score} per text with the config's labels, as transformers.js does", async () => {
    expect(labels).toEqual(["NEGATIVE", "POSITIVE"]);
    const r = await invoke(endpoint, { inputs: SENTENCES });
    expect(r.status, r.text).toBe(200);
    const predictions = r.body.predictions as { label: string; score: number }[];
    expect(predictions).toHaveLength(3);
    predictions.forEach((p, i) => {
      expect(labels).toContain(p.label);
      expect(p.score).toBeGreaterThanOrEqual(0.5);
      expect(p.score).toBeLessThanOrEqual(1);
      expect(p.label).toBe(reference[i]!.label);
      expect(Math.abs(p.score - reference[i]!.score)).toBeLessThan(CROSS_RUNTIME_TOLERANCE);
    });
    const again = await invoke(endpoint, { inputs: SENTENCES });
    expect(again.status, `${again.status} ${again.headers.get("content-type")} ${again.text}`).toBe(200);
    expect(again.body.predictions).toEqual(predictions);
  });

  it("ignores params when the signature declares none, as MLflow does", async () => {
    const r = await invoke(endpoint, { inputs: SENTENCES.slice(0, 1), params: { top_k: 2 } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.predictions).toEqual([expect.objectContaining({ label: reference[0]!.label })]);
  });

  it('params {"top_k": 2} gives both labels per text once the signature declares top_k', async () => {
    // The same model with a params schema in its signature (MLflow drops params a signature does not declare).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-minilm-topk-"));
    try {
      fs.cpSync(paths["text-classification"].mlflowDir, dir, { recursive: true });
      const mlmodel = fs.readFileSync(path.join(dir, "MLmodel"), "utf8");
      fs.writeFileSync(
        path.join(dir, "MLmodel"),
        mlmodel.replace(
          "  params: null",
          `  params: '[{"name": "top_k", "type": "long", "default": 1, "shape": null}]'`,
        ),
      );
      const { name, version } = await publishModel(dir, "minilm_tc_topk");
      const withParams = await serveModel(name, version, "cm-minilm-topk");
      const r = await invoke(withParams, { inputs: SENTENCES.slice(0, 1), params: { top_k: 2 } });
      expect(r.status, r.text).toBe(200);
      const [both] = r.body.predictions as { label: string; score: number }[][];
      expect(both!.map((p) => p.label).sort()).toEqual([...labels].sort());
      expect(both![0]!.score).toBeGreaterThanOrEqual(both![1]!.score);
      expect(both![0]!.score + both![1]!.score).toBeCloseTo(1, 5);
      const bad = await invoke(withParams, { inputs: SENTENCES.slice(0, 1), params: { top_k: "two" } });
      expect(bad.status, bad.text).toBe(400);
      expect(bad.body.message).toMatch(/Failed to validate type and shape for 'top_k'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe("MiniLM token-classification published, served and queried end to end", () => {
  let endpoint: string;
  let labels: string[];

  beforeAll(async () => {
    endpoint = await publishAndServe("token-classification", "minilm_tok");
    labels = Object.values(
      JSON.parse(fs.readFileSync(paths["token-classification"].config, "utf8")).id2label as Record<string, string>,
    );
  }, 600_000);

  it("answers one list of entities per text, a single text included, with the config's labels", async () => {
    const one = await invoke(endpoint, { inputs: [SENTENCES[1]] });
    expect(one.status, one.text).toBe(200);
    expect(one.body.predictions).toHaveLength(1);
    const many = await invoke(endpoint, { inputs: SENTENCES });
    expect(many.body.predictions).toHaveLength(3);
    expect(many.body.predictions[1]).toEqual(one.body.predictions[0]);
    for (const entities of many.body.predictions as {
      entity: string;
      score: number;
      index: number;
      word: string;
    }[][]) {
      expect(Array.isArray(entities)).toBe(true);
      for (const e of entities) {
        expect(labels).toContain(e.entity);
        expect(e.entity).not.toBe("O");
        expect(e.index).toBeGreaterThan(0);
        expect(typeof e.word).toBe("string");
      }
    }
  });
});
