import { type ModelOptimizationInfo, errors } from "@edgeserve/api";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { CATALOGUE_MODEL_VERSIONS, catalogueModelOf } from "../foundation-models/catalogue";

/**
 * GET /api/2.0/serving-endpoints/get-model-optimization-info/{name}/{version}: whether a model can be served
 * with provisioned throughput, and the chunk size its bands are multiples of (any principal; the catalogue is
 * the same for everyone). Only the Foundation Model API models (`system.ai.<model>`) can be here.
 */
export const modelOptimizationInfoRoutes = new Hono<AppEnv>();

modelOptimizationInfoRoutes.get("/get-model-optimization-info/:name/:version", (c) => {
  const name = c.req.param("name");
  const version = c.req.param("version");
  const found = catalogueModelOf(name);
  if (!found)
    throw errors.notFound(
      `Model '${name}' does not exist or cannot be served with provisioned throughput: only the Foundation Model ` +
        "API models (system.ai.<model>, docs/foundation-models.md) can be.",
    );
  if (!CATALOGUE_MODEL_VERSIONS.includes(version))
    throw errors.notFound(`Model version '${name}' version '${version}' does not exist.`);
  const body: ModelOptimizationInfo = {
    optimizable: true,
    model_type: found.model.modelType,
    throughput_chunk_size: found.model.throughputChunkSize,
  };
  return c.json(body);
});
