import { ApiError } from "@edgeserve/api/errors";
import type { ScoringInput } from "@edgeserve/mlflow/scoring-input";
import { artifactKey } from "../model-store/artifacts";
import type { TransformersConfig } from "@edgeserve/mlflow/transformers-flavor";
import { loadTransformers, type FileReader } from "./runtime";
import { toTexts } from "./texts";

type Pipeline = (texts: string[], options?: Record<string, unknown>) => Promise<unknown>;

/** A Hugging Face text model run by a transformers.js pipeline. */
export class TextModel {
  private constructor(
    private readonly config: TransformersConfig,
    private readonly pipe: Pipeline & { dispose?: () => Promise<void> },
  ) {}

  /** Loads the pipeline from `<artifactPrefix><edgeserve_files_dir>/`; `bytesRead` counts what it read. */
  static async load(
    artifactPrefix: string,
    config: TransformersConfig,
    read: FileReader,
  ): Promise<{ model: TextModel; bytesRead: number }> {
    let bytesRead = 0;
    const counting: FileReader = async (path) => {
      const bytes = await read(path);
      bytesRead += bytes?.byteLength ?? 0;
      return bytes;
    };
    const { pipeline } = await loadTransformers(counting);
    // Not a Hub id (it has several slashes), so transformers.js reads `<dir>/<file>` through env.fetch.
    const dir = artifactKey(artifactPrefix, config.edgeserve_files_dir);
    let pipe: unknown;
    try {
      pipe = await pipeline(config.task, dir, { device: "wasm", dtype: config.edgeserve_dtype });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ApiError("INVALID_STATE", `The transformers model at '${dir}' could not be loaded: ${message}`);
    }
    return { model: new TextModel(config, pipe as Pipeline), bytesRead };
  }

  async predict(input: ScoringInput, params: Record<string, unknown> = {}): Promise<unknown[]> {
    const texts = toTexts(input);
    switch (this.config.task) {
      case "feature-extraction": {
        const output = (await this.pipe(texts, {
          pooling: this.config.edgeserve_pooling,
          normalize: this.config.edgeserve_normalize,
        })) as { tolist(): unknown[] };
        return output.tolist();
      }
      case "text-classification": {
        const topK = params.top_k === undefined ? 1 : Number(params.top_k);
        if (!Number.isInteger(topK) || topK < 1)
          throw new ApiError("BAD_REQUEST", "params.top_k must be a positive integer.");
        // `texts` is always an array, so transformers.js answers one entry per text (a single text
        // included): {label, score} for top_k 1, else a list of the top_k best.
        return (await this.pipe(texts, { top_k: topK })) as unknown[];
      }
      case "token-classification":
        // One list of entities per text, a single text included (the input is an array).
        return (await this.pipe(texts)) as unknown[];
    }
  }

  async dispose(): Promise<void> {
    await this.pipe.dispose?.();
  }
}
