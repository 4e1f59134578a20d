import { z } from "zod";

/**
 * The MLflow model registry and artifact proxy (a subset of MLflow's REST API: registered models,
 * model versions, aliases, artifacts with multipart upload). Shapes follow MLflow's protos
 * (`model_registry.proto`, `mlflow_artifacts.proto`): versions are strings on the wire, timestamps ms.
 */

const MODEL_NAME_MAX_LENGTH = 256;
const ALIAS_MAX_LENGTH = 255;
const TAG_KEY_MAX_LENGTH = 250;
const TAG_VALUE_MAX_LENGTH = 5000;
const DESCRIPTION_MAX_LENGTH = 5000;
export const SEARCH_MAX_RESULTS_DEFAULT = 100;
const SEARCH_MAX_RESULTS_LIMIT = 1000;
/** MLflow's multipart limit; R2 allows 10,000 parts too. */
const MULTIPART_MAX_PARTS = 10_000;

/** A plain or Unity-Catalog style (`catalog.schema.model`) name; no `/`, since names become artifact paths. */
const modelName = z
  .string()
  .min(1, "name must not be empty")
  .max(MODEL_NAME_MAX_LENGTH, `name must be at most ${MODEL_NAME_MAX_LENGTH} characters`)
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    "name must consist of letters, digits, '_', '-' and '.' (e.g. catalog.schema.model)",
  )
  .refine((n) => !n.includes(".."), "name must not contain '..'");

/** A version number as MLflow sends it: a decimal string (numbers accepted from JSON clients too). */
const versionNumber = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^[1-9][0-9]{0,9}$/.test(v), "version must be a positive integer");

/** MLflow's alias rule: word characters and '-', not `latest` and not `v<digits>` (those read as versions). */
const aliasName = z
  .string()
  .min(1, "alias must not be empty")
  .max(ALIAS_MAX_LENGTH, `alias must be at most ${ALIAS_MAX_LENGTH} characters`)
  .regex(/^[A-Za-z0-9_-]+$/, "alias must consist of letters, digits, '_' and '-'")
  .refine(
    (a) => a.toLowerCase() !== "latest" && !/^v[0-9]+$/i.test(a),
    "alias must not be 'latest' or look like a version ('v1')",
  );

const description = z
  .string()
  .max(DESCRIPTION_MAX_LENGTH, `description must be at most ${DESCRIPTION_MAX_LENGTH} characters`);

const tagInput = z.strictObject({
  key: z.string().min(1, "tag key must not be empty").max(TAG_KEY_MAX_LENGTH),
  value: z.string().max(TAG_VALUE_MAX_LENGTH).optional(),
});

// ---------------------------------------------------------------------------------------------
// Requests

export const createRegisteredModelRequest = z.strictObject({
  name: modelName,
  tags: z.array(tagInput).max(100).optional(),
  description: description.optional(),
});

const nameOnlyRequest = z.strictObject({ name: modelName });
export const getRegisteredModelQuery = nameOnlyRequest;
export const deleteRegisteredModelRequest = nameOnlyRequest;

export const renameRegisteredModelRequest = z.strictObject({ name: modelName, new_name: modelName });
export const updateRegisteredModelRequest = z.strictObject({ name: modelName, description: description.optional() });

const maxResults = z.coerce
  .number({ error: "max_results must be an integer" })
  .int("max_results must be an integer")
  .min(1, "max_results must be at least 1")
  .max(SEARCH_MAX_RESULTS_LIMIT, `max_results must be at most ${SEARCH_MAX_RESULTS_LIMIT}`);
/** `order_by` arrives repeated in a query string (one value → a string) or as a JSON array. */
const orderBy = z.union([z.string(), z.array(z.string()).max(10)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const searchRequest = z.strictObject({
  filter: z.string().max(2000).optional(),
  max_results: maxResults.optional(),
  order_by: orderBy.optional(),
  page_token: z.string().max(200).optional(),
});

export const createModelVersionRequest = z.strictObject({
  name: modelName,
  source: z.string().min(1, "source must not be empty").max(1000),
  run_id: z.string().max(256).optional(),
  run_link: z.string().max(1000).optional(),
  tags: z.array(tagInput).max(100).optional(),
  description: description.optional(),
});

export const modelVersionRef = z.strictObject({ name: modelName, version: versionNumber });
export const updateModelVersionRequest = z.strictObject({
  name: modelName,
  version: versionNumber,
  description: description.optional(),
});

export const setAliasRequest = z.strictObject({ name: modelName, alias: aliasName, version: versionNumber });
export const aliasRef = z.strictObject({ name: modelName, alias: aliasName });

/** MLflow's `get-latest-versions`; stages are a legacy concept, accepted and ignored beyond `None`. */
export const getLatestVersionsRequest = z.strictObject({
  name: modelName,
  stages: z.union([z.string(), z.array(z.string()).max(10)]).optional(),
});

// Artifacts

export const listArtifactsQuery = z.strictObject({ path: z.string().max(1024).optional() });

export const createMultipartUploadRequest = z.strictObject({
  path: z.string().max(1024).optional(),
  num_parts: z
    .number()
    .int("num_parts must be an integer")
    .min(1, "num_parts must be at least 1")
    .max(MULTIPART_MAX_PARTS),
});

export const completeMultipartUploadRequest = z.strictObject({
  path: z.string().max(1024).optional(),
  upload_id: z.string().min(1, "upload_id must not be empty").max(2048),
  parts: z
    .array(
      z.strictObject({
        part_number: z.number().int().min(1).max(MULTIPART_MAX_PARTS),
        etag: z.string().min(1, "etag must not be empty").max(256),
        url: z.string().max(4096).optional(),
      }),
    )
    .min(1, "parts must not be empty")
    .max(MULTIPART_MAX_PARTS),
});

export const abortMultipartUploadRequest = z.strictObject({
  path: z.string().max(1024).optional(),
  upload_id: z.string().min(1, "upload_id must not be empty").max(2048),
});

export const uploadPartQuery = z.strictObject({
  upload_id: z.string().min(1, "upload_id must not be empty").max(2048),
  part_number: z.coerce
    .number({ error: "part_number must be an integer" })
    .int("part_number must be an integer")
    .min(1)
    .max(MULTIPART_MAX_PARTS),
});

// ---------------------------------------------------------------------------------------------
// Responses

const tagOutput = z.object({ key: z.string(), value: z.string() });
const aliasOutput = z.object({ alias: z.string(), version: z.string() });

export const modelVersion = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number().int(),
  last_updated_timestamp: z.number().int(),
  user_id: z.string(),
  current_stage: z.string().describe("Always `None`: stages are deprecated in MLflow; use aliases."),
  description: z.string(),
  source: z.string(),
  run_id: z.string(),
  run_link: z.string(),
  status: z.literal("READY"),
  tags: z.array(tagOutput),
  aliases: z.array(z.string()),
});
export type ModelVersion = z.infer<typeof modelVersion>;

export const registeredModel = z.object({
  name: z.string(),
  creation_timestamp: z.number().int(),
  last_updated_timestamp: z.number().int(),
  user_id: z.string(),
  description: z.string(),
  latest_versions: z.array(modelVersion),
  tags: z.array(tagOutput),
  aliases: z.array(aliasOutput),
});
export type RegisteredModel = z.infer<typeof registeredModel>;

export const registeredModelResponse = z.object({ registered_model: registeredModel });
export const modelVersionResponse = z.object({ model_version: modelVersion });
export const searchRegisteredModelsResponse = z.object({
  registered_models: z.array(registeredModel),
  next_page_token: z.string().optional(),
});
export const searchModelVersionsResponse = z.object({
  model_versions: z.array(modelVersion),
  next_page_token: z.string().optional(),
});
export const latestVersionsResponse = z.object({ model_versions: z.array(modelVersion) });
export const downloadUriResponse = z.object({ artifact_uri: z.string() });

const fileInfo = z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().int().optional() });
export const listArtifactsResponse = z.object({ files: z.array(fileInfo) });
export const createMultipartUploadResponse = z.object({
  upload_id: z.string(),
  credentials: z.array(
    z.object({ part_number: z.number().int(), url: z.string(), headers: z.record(z.string(), z.string()) }),
  ),
});
