import type { ErrorBody } from "@edgeserve/api/errors";
import type { ScoringRequest } from "./scoring-input";

/**
 * The contract between the gateway and the inference worker (service binding INFERENCE, bound to the
 * worker's `InferenceService` entrypoint). Queries call `INFERENCE.predict(request)` over RPC: the request
 * and the answer cross by structured clone, no JSON text, no HTTP framing. The same PredictRequest may
 * also be POSTed as JSON to `https://inference/v1/predict` (the worker's own tests and benchmark use it),
 * which answers 200 with a PredictResponse, or an error body `{error_code, message}` with its status.
 */
export interface PredictRequest extends ScoringRequest {
  model: ModelRef;
}

/** Where a registry model version lives and how to run it. */
export interface ModelRef {
  /** Cache key of the loaded model in the inference isolate, e.g. "main.default.iris/3". */
  key: string;
  /** R2 key prefix (bucket ARTIFACTS) of the MLflow model directory, ending with "/". */
  artifactPrefix: string;
  /** The flavor the worker runs. */
  flavor: "onnx" | "transformers";
  /** That flavor's section of the MLmodel file, as parsed. */
  flavorConfig: Record<string, unknown>;
}

export interface PredictResponse {
  /** Records-oriented, as MLflow's scoring server answers. */
  predictions: unknown;
}

/**
 * What `INFERENCE.predict()` resolves to: the predictions, or the error the worker would have answered
 * over HTTP with its status. Errors are values here, not thrown: an exception crossing RPC keeps only its
 * message, and the gateway needs the code and status. A rejected call means the worker itself failed.
 */
export type PredictOutcome = PredictResponse | { error: ErrorBody; status: number };

/** The RPC methods of the inference worker's `InferenceService` entrypoint, as the gateway calls them. */
export interface InferenceRpc {
  predict(request: PredictRequest): Promise<PredictOutcome>;
}

/** Embeddings from the built-in sentence encoder: POST `https://inference/v1/embeddings`. */
export interface EmbedRequest {
  texts: string[];
}

export interface EmbedResponse {
  model: string;
  embeddings: number[][];
  /** Tokens the encoder read, for usage records. */
  tokens: number;
}

/**
 * The worker's limits: `GET https://inference/v1/limits`. The gateway's deployment asks before a
 * registry model goes live, so a model the worker cannot hold fails to deploy instead of every query.
 */
export interface InferenceLimits {
  /** Bytes of model files an isolate holds (EDGESERVE_INFERENCE_CACHE_MB); one model must fit in it. */
  modelMemoryBytes: number;
}
