import { ApiError } from "@edgeserve/api/errors";
import type { ScoringInput } from "@edgeserve/mlflow/scoring-input";
import type { InferenceSession, Tensor } from "onnxruntime-web";
import { MicroBatcher } from "../batching/micro-batcher";
import { loadOrt, type Ort } from "../ort/runtime";
import { batchKey, concatFeeds, rowCounts, splitOutputs } from "./batch-feeds";
import { toFeeds, type Feed, type InputSpec } from "./inputs";
import { toPredictions, type Output } from "./outputs";

/** An ONNX model loaded into an ONNX Runtime Web session, scoring requests (micro-batched if enabled). */
export class OnnxModel {
  readonly inputs: InputSpec[];
  private readonly outputNames: string[];
  private readonly batcher: MicroBatcher<Feed[], PromiseSettledResult<Output[]>>;

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly batching: boolean,
  ) {
    this.inputs = session.inputMetadata.map((m) =>
      m.isTensor ? { name: m.name, type: m.type, shape: m.shape } : { name: m.name, type: "non-tensor", shape: [] },
    );
    // Non-tensor outputs (e.g. the ZipMap of sklearn classifiers) are not supported by ONNX Runtime Web.
    this.outputNames = session.outputMetadata.filter((m) => m.isTensor).map((m) => m.name);
    if (this.outputNames.length === 0) {
      throw new ApiError(
        "INVALID_STATE",
        "The ONNX model has no tensor outputs; export it without ZipMap (zipmap=False).",
      );
    }
    this.batcher = new MicroBatcher((requests) => this.runBatch(requests));
  }

  static async load(bytes: Uint8Array, { batching }: { batching: boolean }): Promise<OnnxModel> {
    const ort = await loadOrt();
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ["wasm"],
        graphOptimizationLevel: "all",
      });
    } catch (error) {
      throw new ApiError("INVALID_STATE", `The model's ONNX file could not be loaded: ${message(error)}`);
    }
    return new OnnxModel(ort, session, batching);
  }

  async predict(input: ScoringInput): Promise<unknown[]> {
    const feeds = toFeeds(input, this.inputs);
    if (!this.batching) return toPredictions(await this.run(feeds));
    const settled = await this.batcher.submit(feeds);
    if (settled.status === "rejected") throw settled.reason;
    return toPredictions(settled.value);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  /** Runs compatible requests as one session.run; anything that cannot be split back runs alone. */
  private async runBatch(requests: Feed[][]): Promise<PromiseSettledResult<Output[]>[]> {
    const results: PromiseSettledResult<Output[]>[] = new Array(requests.length);
    const groups = new Map<string, number[]>();
    requests.forEach((feeds, i) => {
      const key = batchKey(feeds);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const indexes of groups.values()) {
      const members = indexes.map((i) => requests[i]!);
      let split: Output[][] | undefined;
      if (members.length > 1) {
        // One bad request must not fail its neighbours: on error, fall back to running each alone.
        split = await this.run(concatFeeds(members)).then(
          (out) => splitOutputs(out, rowCounts(members)),
          () => undefined,
        );
      }
      for (const [j, i] of indexes.entries()) {
        results[i] = split
          ? { status: "fulfilled", value: split[j]! }
          : (await Promise.allSettled([this.run(members[j]!)]))[0]!;
      }
    }
    return results;
  }

  private async run(feeds: Feed[]): Promise<Output[]> {
    const tensors: Record<string, Tensor> = {};
    for (const f of feeds)
      tensors[f.name] = new this.ort.Tensor(f.type as Tensor.Type, f.data as Tensor.DataType, f.dims);
    let result: InferenceSession.OnnxValueMapType;
    try {
      result = await this.session.run(tensors, this.outputNames);
    } catch (error) {
      throw new ApiError("BAD_REQUEST", `The model could not score this input: ${message(error)}`);
    }
    return this.outputNames.map((name) => {
      const t = result[name] as Tensor;
      return { name, type: t.type, data: t.data as ArrayLike<unknown>, dims: t.dims };
    });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
