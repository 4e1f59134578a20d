import { beforeAll, describe, expect, it } from "vitest";
import { fixtureJson, predict, putFixtures } from "./fixtures";

const TASKS = ["feature-extraction", "text-classification", "token-classification"] as const;
const FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"];

const ref = (task: string) => ({
  key: `main.default.tiny-${task}/1`,
  artifactPrefix: `models/tiny-${task}/1/`,
  flavor: "transformers",
  flavorConfig: { task, edgeserve_files_dir: "model" },
});

interface Expected {
  texts: string[];
  predictions: any[];
}

beforeAll(async () => {
  for (const task of TASKS) {
    await putFixtures(
      `models/tiny-${task}/1/model/`,
      Object.fromEntries(FILES.map((f) => [f, `tiny-bert/${task}/model/${f}`])),
    );
  }
});

// Expected values are computed with numpy in test/fixtures/make-models.py, independently of transformers.js.
describe("POST /v1/predict, transformers flavor (transformers.js)", () => {
  it("feature-extraction: mean-pooled, normalized embeddings per text", async () => {
    const expected = await fixtureJson<Expected>("tiny-bert/feature-extraction/expected.json");
    const { status, body } = await predict({
      model: ref("feature-extraction"),
      input: { kind: "dataframe", columns: ["text"], rows: expected.texts.map((t) => [t]) },
    });
    expect(body.message).toBeUndefined(); // a failure shows its message
    expect(status).toBe(200);
    expect(body.predictions).toHaveLength(expected.texts.length);
    body.predictions.forEach((vector: number[], i: number) => {
      expect(vector).toHaveLength(8);
      vector.forEach((v, j) => expect(v).toBeCloseTo(expected.predictions[i][j], 4));
    });
  });

  it("text-classification: the top label and its score per text", async () => {
    const expected = await fixtureJson<Expected>("tiny-bert/text-classification/expected.json");
    const { status, body } = await predict({
      model: ref("text-classification"),
      input: { kind: "tensor", value: expected.texts },
    });
    expect(body.message).toBeUndefined(); // a failure shows its message
    expect(status).toBe(200);
    body.predictions.forEach((p: { label: string; score: number }, i: number) => {
      expect(p.label).toBe(expected.predictions[i].label);
      expect(p.score).toBeCloseTo(expected.predictions[i].score, 4);
    });
  });

  it("token-classification: the non-O entities of each text", async () => {
    const expected = await fixtureJson<Expected>("tiny-bert/token-classification/expected.json");
    const { status, body } = await predict({
      model: ref("token-classification"),
      input: { kind: "tensor", value: expected.texts },
    });
    expect(body.message).toBeUndefined(); // a failure shows its message
    expect(status).toBe(200);
    body.predictions.forEach((entities: any[], i: number) => {
      expect(entities.map((e) => [e.entity, e.index, e.word])).toEqual(
        expected.predictions[i].map((e: any) => [e.entity, e.index, e.word]),
      );
      entities.forEach((e, j) => expect(e.score).toBeCloseTo(expected.predictions[i][j].score, 4));
    });
  });

  // transformers.js answers an array of texts with one entry per text, a single text included.
  it("one text gets exactly one entry: entities (token-classification), top_k list (text-classification)", async () => {
    const tokens = await fixtureJson<Expected>("tiny-bert/token-classification/expected.json");
    const one = await predict({
      model: ref("token-classification"),
      input: { kind: "tensor", value: [tokens.texts[0]] },
    });
    expect(one.status, one.body.message).toBe(200);
    expect(one.body.predictions).toHaveLength(1);
    expect(one.body.predictions[0].map((e: any) => [e.entity, e.index, e.word])).toEqual(
      tokens.predictions[0].map((e: any) => [e.entity, e.index, e.word]),
    );

    const labels = await fixtureJson<Expected>("tiny-bert/text-classification/expected.json");
    const top2 = await predict({
      model: ref("text-classification"),
      input: { kind: "tensor", value: [labels.texts[0]] },
      params: { top_k: 2 },
    });
    expect(top2.status, top2.body.message).toBe(200);
    expect(top2.body.predictions).toHaveLength(1);
    const [best, second] = top2.body.predictions[0];
    expect(best).toMatchObject({ label: labels.predictions[0].label });
    expect(best.score).toBeCloseTo(labels.predictions[0].score, 4);
    expect(second.label).not.toBe(best.label);
    expect(best.score).toBeGreaterThanOrEqual(second.score);

    const top1 = await predict({
      model: ref("text-classification"),
      input: { kind: "tensor", value: [labels.texts[0]] },
    });
    expect(top1.body.predictions).toEqual([expect.objectContaining({ label: labels.predictions[0].label })]);
  });

  it("refuses non-string texts and several columns, and an unsupported task", async () => {
    const number = await predict({ model: ref("feature-extraction"), input: { kind: "tensor", value: ["ok", 3] } });
    expect(number).toMatchObject({ status: 400, body: { error_code: "BAD_REQUEST" } });
    expect(number.body.message).toContain("row 1");
    const columns = await predict({
      model: ref("feature-extraction"),
      input: { kind: "dataframe", columns: ["a", "b"], rows: [["x", "y"]] },
    });
    expect(columns).toMatchObject({ status: 400, body: { error_code: "BAD_REQUEST" } });
    const task = await predict({
      model: { ...ref("feature-extraction"), key: "t/1", flavorConfig: { task: "summarization" } },
      input: { kind: "tensor", value: ["x"] },
    });
    expect(task).toMatchObject({ status: 501, body: { error_code: "NOT_IMPLEMENTED" } });
  });
});
