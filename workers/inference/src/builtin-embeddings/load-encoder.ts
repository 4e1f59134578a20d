import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { ENCODER_PREFIX, MODEL_JSON, VOCAB_JSON } from "./model-files";
import { SentencePieceTokenizer, type Vocabulary } from "./tokenizer";
import { useWasmBackend } from "./wasm-backend";

export interface LoadedEncoder {
  model: GraphModel;
  tokenizer: SentencePieceTokenizer;
}

/** Thrown when the model files are not in R2 (the stack was not seeded). */
export class EncoderFilesMissingError extends Error {}

interface ModelJson {
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

// One loaded encoder per isolate: the first request pays the load, later ones reuse it.
let loading: Promise<LoadedEncoder> | undefined;

/** The encoder of this isolate, loading it from R2 on first use (a failed load is retried by the next call). */
export function loadEncoder(bucket: R2Bucket): Promise<LoadedEncoder> {
  loading ??= readEncoder(bucket).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function readEncoder(bucket: R2Bucket): Promise<LoadedEncoder> {
  await useWasmBackend();
  const [modelJson, vocabulary] = await Promise.all([
    readObject(bucket, MODEL_JSON).then((o) => o.json<ModelJson>()),
    readObject(bucket, VOCAB_JSON).then((o) => o.json<Vocabulary>()),
  ]);
  // Shards in manifest order: that is how the weight specs index into the concatenated bytes.
  const shardPaths = modelJson.weightsManifest.flatMap((group) => group.paths);
  const shards = await Promise.all(shardPaths.map((p) => readObject(bucket, p).then((o) => o.arrayBuffer())));
  const model = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
      weightData: shards,
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy,
    }),
  );
  return { model, tokenizer: new SentencePieceTokenizer(vocabulary) };
}

async function readObject(bucket: R2Bucket, file: string): Promise<R2ObjectBody> {
  const object = await bucket.get(ENCODER_PREFIX + file);
  if (!object) throw new EncoderFilesMissingError(`R2 object ${ENCODER_PREFIX + file} is missing`);
  return object;
}
