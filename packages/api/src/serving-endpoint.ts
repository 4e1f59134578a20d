import { z } from "zod";
import { aiGateway, legacyRateLimit } from "./ai-gateway";
import { externalModel } from "./external-model";
import { REFUSED_PREFIX, noEffect, refused } from "./compatibility";
import { payloadTable } from "./payload-logs";

const MAX_SERVED_ENTITIES = 10;
const MAX_ENVIRONMENT_VARS = 30;
const ENVIRONMENT_VARS_UNSUPPORTED =
  "environment variables are not supported on Edgeserve: no model code that " +
  "could read them runs here (ONNX and transformers models run in the inference " +
  "worker, external models at their provider); leave environment_vars out";

/** Endpoint names: 1–63 alphanumerics, `-` and `_`. */
const endpointName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,63}$/, "must be 1-63 characters of letters, digits, '-' and '_'");

/** The endpoint's name, which bodies of calls on one endpoint may repeat (Databricks' clients do). */
const nameOfPath = endpointName.optional().describe("The endpoint's name; when given, it must be the one in the path.");

/** Served entity names follow the same rule as endpoint names. */
export const servedEntityName = endpointName;

const workloadSize = noEffect(
  z.enum(["Small", "Medium", "Large"]),
  "the inference worker scales with traffic by itself: there is no " +
    "instance size to pick (Databricks requires a size, this or provisioned " +
    "concurrency, for every custom model, so its clients send one).",
);
export const WORKLOAD_TYPES = [
  "CPU",
  "CPU_MEDIUM",
  "CPU_LARGE",
  "GPU_SMALL",
  "GPU_MEDIUM",
  "GPU_LARGE",
  "GPU_XLARGE",
  "GPU_XLARGE_8",
  "MULTIGPU_MEDIUM",
] as const;
const workloadType = z
  .enum(WORKLOAD_TYPES)
  .describe(
    "Where a registry model runs (default `CPU`): a CPU type in the inference worker when its flavor runs there and " +
      "it fits the worker's memory budget, else on a registered model server for that type; a GPU type always on a " +
      "model server (docs/model-servers.md). With no server for " +
      "the type, the deployment fails and its build log says why.",
  );
const scaleToZeroEnabled = noEffect(
  z.boolean(),
  "Workers run only while requests arrive: there is no instance to keep warm or " +
    "to stop, and a model is loaded into an isolate on its first query either way.",
);
const concurrency = (because: string) => noEffect(z.number().int().min(0).max(4096), because);
const minProvisionedConcurrency = concurrency(
  "the inference worker scales with traffic by itself: there is no " +
    "concurrency to reserve (Databricks' alternative to workload_size).",
);
const maxProvisionedConcurrency = concurrency(
  "the inference worker scales with traffic by itself: there is no " +
    "concurrency to cap (Databricks' alternative to workload_size).",
);

/** Unity Catalog prefix of the Foundation Model APIs' models: the only entities provisioned throughput applies to. */
export const SYSTEM_AI_PREFIX = "system.ai.";
const tokensPerSecond = (what: string) =>
  z
    .number()
    .int()
    .min(0)
    .describe(
      `${what} (tokens per second, prompt + completion), a multiple of the model's throughput_chunk_size ` +
        "(GET …/get-model-optimization-info/{name}/{version}). Only for a Foundation Model API model " +
        "(`entity_name: system.ai.<model>`); docs/foundation-models.md.",
    );
const PROVISIONED_FIELDS = [
  "min_provisioned_throughput",
  "max_provisioned_throughput",
  "provisioned_model_units",
  "burst_scaling_enabled",
] as const;
const BURST_UNSUPPORTED =
  "burst scaling is not supported on Edgeserve: a provisioned band is a reservation of the backend's " +
  "configured capacity, and traffic above it is refused with 429 rather than served from spare capacity; " +
  "leave it out or set false";

const environmentVars = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name"), z.string())
  .refine(
    (vars) => Object.keys(vars).length <= MAX_ENVIRONMENT_VARS,
    `at most ${MAX_ENVIRONMENT_VARS} environment variables`,
  )
  .superRefine((vars, ctx) => {
    if (Object.keys(vars).length > 0) ctx.addIssue({ code: "custom", message: ENVIRONMENT_VARS_UNSUPPORTED });
  })
  .describe(`Only an empty map is accepted. ${REFUSED_PREFIX} ${ENVIRONMENT_VARS_UNSUPPORTED}.`);
const instanceProfileArn = refused(
  z.string().startsWith("arn:", "must be an ARN"),
  "instance profiles are not supported on Edgeserve: models run on Cloudflare, " +
    "outside AWS, so no AWS role can be assumed; leave instance_profile_arn out " +
    "(Amazon Bedrock external models take aws_access_key_id and aws_secret_access_key)",
);

/**
 * How a served entity is sized and scaled on Databricks, shared by `served_entities` and the legacy `served_models`.
 */
const computeFields = {
  workload_size: workloadSize.optional(),
  workload_type: workloadType.optional(),
  scale_to_zero_enabled: scaleToZeroEnabled.optional(),
  min_provisioned_concurrency: minProvisionedConcurrency.optional(),
  max_provisioned_concurrency: maxProvisionedConcurrency.optional(),
  min_provisioned_throughput: tokensPerSecond(
    "The band's floor; no effect here beyond validation: the whole band (max) is reserved while the endpoint exists",
  ).optional(),
  max_provisioned_throughput: tokensPerSecond("The band reserved on the backend and admitted per second").optional(),
  provisioned_model_units: z
    .number()
    .int()
    .positive()
    .describe(
      "The band in model units, instead of min/max_provisioned_throughput: one unit is one throughput_chunk_size of " +
        "tokens per second here. Only for a Foundation Model API model (`entity_name: system.ai.<model>`).",
    )
    .optional(),
  burst_scaling_enabled: z
    .boolean()
    .describe(`Only false is accepted; true is refused with 400 INVALID_PARAMETER_VALUE: ${BURST_UNSUPPORTED}.`)
    .optional(),
  environment_vars: environmentVars.optional(),
  instance_profile_arn: instanceProfileArn.optional(),
};

function checkConcurrency(
  e: { workload_size?: unknown; min_provisioned_concurrency?: number; max_provisioned_concurrency?: number },
  ctx: z.RefinementCtx,
): void {
  if (
    e.min_provisioned_concurrency !== undefined &&
    e.max_provisioned_concurrency !== undefined &&
    e.min_provisioned_concurrency > e.max_provisioned_concurrency
  )
    ctx.addIssue({
      code: "custom",
      path: ["min_provisioned_concurrency"],
      message: "must not exceed max_provisioned_concurrency",
    });
  if (e.workload_size && (e.min_provisioned_concurrency !== undefined || e.max_provisioned_concurrency !== undefined))
    ctx.addIssue({
      code: "custom",
      path: ["workload_size"],
      message: "cannot be combined with min/max_provisioned_concurrency",
    });
}

/**
 * Provisioned throughput reserves a share of a Foundation Model API backend: it is refused where no such
 * backend serves the entity (external models, registry models), with the reason. Bands are checked against
 * the model's chunk size by the gateway, which knows the catalogue (foundation-models/provisioned-band.ts).
 */
function checkProvisionedThroughput(
  e: { [K in (typeof PROVISIONED_FIELDS)[number]]?: unknown } & { external_model?: unknown },
  modelName: string | undefined,
  ctx: z.RefinementCtx,
): void {
  const given = PROVISIONED_FIELDS.filter((f) => e[f] !== undefined);
  if (e.burst_scaling_enabled === true)
    ctx.addIssue({ code: "custom", path: ["burst_scaling_enabled"], message: BURST_UNSUPPORTED });
  const systemModel = modelName?.startsWith(SYSTEM_AI_PREFIX) ?? false;
  if (!systemModel)
    for (const f of given)
      ctx.addIssue({
        code: "custom",
        path: [f],
        message: e.external_model
          ? "is not allowed for an external model: provisioned throughput reserves capacity on a " +
            "Foundation Model API backend, and an external model's capacity is its provider's"
          : `applies only to Foundation Model API models (entity_name '${SYSTEM_AI_PREFIX}<model>'): ` +
            "a registry model runs in the inference worker or on a model server, where no tokens/s capacity " +
            "is reserved",
      });
  if (e.provisioned_model_units !== undefined)
    for (const f of ["min_provisioned_throughput", "max_provisioned_throughput"] as const)
      if (e[f] !== undefined)
        ctx.addIssue({ code: "custom", path: [f], message: "cannot be combined with provisioned_model_units" });
}

export const servedEntityInput = z
  .strictObject({
    name: servedEntityName.optional(),
    entity_name: z.string().min(1).max(512).optional(),
    entity_version: z.string().min(1).max(64).optional(),
    external_model: externalModel.optional(),
    ...computeFields,
  })
  .superRefine((e, ctx) => {
    if (e.external_model && e.entity_name)
      ctx.addIssue({ code: "custom", path: ["entity_name"], message: "cannot be combined with external_model" });
    if (!e.external_model && !e.entity_name)
      ctx.addIssue({
        code: "custom",
        path: ["entity_name"],
        message: "one of 'entity_name' or 'external_model' is required",
      });
    if (e.external_model) {
      for (const f of ["workload_size", "workload_type", "scale_to_zero_enabled", "entity_version"] as const)
        if (e[f] !== undefined)
          ctx.addIssue({ code: "custom", path: [f], message: "is not allowed for an external model" });
    }
    checkConcurrency(e, ctx);
    checkProvisionedThroughput(e, e.entity_name, ctx);
  });
export type ServedEntityInput = z.infer<typeof servedEntityInput>;

/** The legacy `served_models` form. */
const servedModelInput = z
  .strictObject({
    name: servedEntityName.optional(),
    model_name: z.string().min(1).max(512),
    model_version: z.string().min(1).max(64),
    ...computeFields,
    scale_to_zero_enabled: scaleToZeroEnabled,
  })
  .superRefine((e, ctx) => {
    checkConcurrency(e, ctx);
    checkProvisionedThroughput(e, e.model_name, ctx);
  });
export type ServedModelInput = z.infer<typeof servedModelInput>;

const trafficRoute = z
  .strictObject({
    served_entity_name: servedEntityName.optional(),
    served_model_name: servedEntityName.optional(),
    traffic_percentage: z.number().int().min(0).max(100),
  })
  .refine((r) => (r.served_entity_name === undefined) !== (r.served_model_name === undefined), {
    message: "give exactly one of 'served_entity_name' or 'served_model_name'",
  });
const trafficConfig = z.strictObject({ routes: z.array(trafficRoute).min(1).max(MAX_SERVED_ENTITIES) });

const autoCaptureConfig = z.strictObject({
  catalog_name: z.string().min(1).max(255).optional(),
  schema_name: z.string().min(1).max(255).optional(),
  table_name_prefix: z.string().min(1).max(255).optional(),
  enabled: z.boolean().optional(),
});

/** EndpointCoreConfigInput: the body of PUT …/config and `config` of create. */
export const endpointCoreConfigInput = z.strictObject({
  name: nameOfPath,
  served_entities: z
    .array(servedEntityInput)
    .max(MAX_SERVED_ENTITIES, `at most ${MAX_SERVED_ENTITIES} served entities per endpoint`)
    .optional(),
  served_models: z
    .array(servedModelInput)
    .max(MAX_SERVED_ENTITIES, `at most ${MAX_SERVED_ENTITIES} served models per endpoint`)
    .optional(),
  traffic_config: trafficConfig.optional(),
  auto_capture_config: autoCaptureConfig.optional(),
});
export type EndpointCoreConfigInput = z.infer<typeof endpointCoreConfigInput>;

export const endpointTag = z.strictObject({
  key: z.string().min(1).max(255),
  value: z.string().max(255).optional(),
});
export type EndpointTag = z.infer<typeof endpointTag>;

export const emailNotifications = noEffect(
  z.strictObject({
    on_update_success: z.array(z.email()).max(100).optional(),
    on_update_failure: z.array(z.email()).max(100).optional(),
  }),
  "Edgeserve sends no e-mail: the addresses are stored and shown by GET (a " +
    "config update's outcome is in state.config_update and the build logs).",
);

const TELEMETRY_EXPORT_UNSUPPORTED =
  "telemetry export to Unity Catalog is not supported on Edgeserve: payload logs " +
  "are kept with ai_gateway.inference_table_config (read them with GET " +
  "…/payload-logs) and metrics are served by GET …/metrics; leave telemetry_config empty";
const telemetryExport = <T extends z.ZodType>(schema: T) => refused(schema, TELEMETRY_EXPORT_UNSUPPORTED);

/**
 * Databricks' TelemetryConfig (export of an endpoint's logs, traces and metrics to Unity Catalog): only `{}` is
 * accepted.
 */
export const telemetryConfig = z
  .strictObject({
    enabled_telemetry_features: telemetryExport(z.array(z.string())).optional(),
    inference_table_config: telemetryExport(z.looseObject({})).optional(),
    table_names: telemetryExport(z.looseObject({})).optional(),
    telemetry_profile_id: telemetryExport(z.string()).optional(),
  })
  .describe("Only an empty object is accepted: each of its fields is refused with 400 INVALID_PARAMETER_VALUE.");

const routeOptimized = noEffect(
  z.boolean(),
  "every endpoint takes the same query path, which accepts personal " +
    "access tokens; with true, GET shows that path as endpoint_url.",
);
const budgetPolicyId = noEffect(
  z.string().max(255),
  "it has no budget policies: the value is stored and shown by GET (GET …/usage reports usage per endpoint).",
);

export const createServingEndpointRequest = z.strictObject({
  name: endpointName,
  config: endpointCoreConfigInput.optional(),
  ai_gateway: aiGateway.optional(),
  tags: z.array(endpointTag).max(50).optional(),
  route_optimized: routeOptimized.optional(),
  description: z.string().max(1024).optional(),
  budget_policy_id: budgetPolicyId.optional(),
  email_notifications: emailNotifications.optional(),
  rate_limits: z.array(legacyRateLimit).max(20).optional(),
  telemetry_config: telemetryConfig.optional(),
});

export const patchTagsRequest = z.strictObject({
  name: nameOfPath,
  add_tags: z.array(endpointTag).max(50).optional(),
  delete_tags: z.array(z.string().min(1).max(255)).max(50).optional(),
});

export const putRateLimitsRequest = z.strictObject({
  name: nameOfPath,
  rate_limits: z.array(legacyRateLimit).max(20).optional(),
});

export const patchNotificationsRequest = z.strictObject({
  name: nameOfPath,
  email_notifications: emailNotifications.optional(),
});

export const patchTelemetryConfigRequest = z.strictObject({
  name: nameOfPath,
  telemetry_config: telemetryConfig.optional(),
});

/** GET /api/2.0/serving-endpoints/get-model-optimization-info/{name}/{version}, as Databricks answers it. */
export const modelOptimizationInfo = z.object({
  optimizable: z.boolean().describe("Whether the model can be served with provisioned throughput."),
  model_type: z.string().optional().describe("The model family, e.g. `llama`."),
  throughput_chunk_size: z
    .number()
    .int()
    .optional()
    .describe("Tokens per second: provisioned bands are multiples of it."),
});
export type ModelOptimizationInfo = z.infer<typeof modelOptimizationInfo>;

const ENDPOINT_STATE_READY = ["READY", "NOT_READY"] as const;
const CONFIG_UPDATE_STATES = ["NOT_UPDATING", "IN_PROGRESS", "UPDATE_FAILED", "UPDATE_CANCELED"] as const;

const endpointState = z.object({
  ready: z.enum(ENDPOINT_STATE_READY),
  config_update: z.enum(CONFIG_UPDATE_STATES),
});

const servedEntityOutput = z.looseObject({
  name: z.string(),
  entity_name: z.string().optional(),
  entity_version: z.string().optional(),
  external_model: z.looseObject({ name: z.string(), provider: z.string(), task: z.string() }).optional(),
  state: z
    .object({
      deployment: z.enum([
        "DEPLOYMENT_CREATING",
        "DEPLOYMENT_READY",
        "DEPLOYMENT_FAILED",
        "DEPLOYMENT_ABORTED",
        "DEPLOYMENT_RECOVERING",
      ]),
      deployment_state_message: z.string(),
    })
    .optional(),
  creator: z.string().optional(),
  creation_timestamp: z.number().int().optional(),
});

export const endpointCoreConfigOutput = z.object({
  served_entities: z.array(servedEntityOutput),
  served_models: z.array(z.looseObject({})).optional(),
  traffic_config: trafficConfig.optional(),
  auto_capture_config: autoCaptureConfig
    .extend({ state: z.strictObject({ payload_table: payloadTable.optional() }).optional() })
    .optional(),
  config_version: z.number().int(),
});

/** ServingEndpointDetailed, as GET/create/update answer it. */
export const servingEndpointDetailed = z.looseObject({
  name: z.string(),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  creator: z.string(),
  creation_timestamp: z.number().int(),
  last_updated_timestamp: z.number().int(),
  description: z.string().optional(),
  state: endpointState,
  config: endpointCoreConfigOutput.optional(),
  pending_config: endpointCoreConfigOutput.extend({ start_time: z.number().int() }).optional(),
  tags: z.array(endpointTag).optional(),
  ai_gateway: aiGateway.optional(),
  rate_limits: z.array(legacyRateLimit).optional(),
  route_optimized: z.boolean(),
  permission_level: z.enum(["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"]).optional(),
  task: z.string().optional(),
  endpoint_type: z.string().optional(),
});

export const listServingEndpointsResponse = z.object({
  endpoints: z.array(servingEndpointDetailed.partial()),
  next_page_token: z
    .string()
    .optional()
    .describe("Present when `page_size` was given and more endpoints follow: pass it as `page_token`."),
});

/** Most endpoints one page of GET /api/2.0/serving-endpoints holds. */
const MAX_ENDPOINTS_PAGE_SIZE = 1000;

/**
 * Query of GET /api/2.0/serving-endpoints. Databricks' list is not paginated and its clients send none of
 * these: without them every visible endpoint is listed, as there. With `page_size` the list comes in pages
 * in name order (Edgeserve's extension, for consoles at thousands of endpoints). Loose: unknown parameters
 * are ignored, as before.
 */
export const listServingEndpointsQuery = z.looseObject({
  page_size: z
    .string()
    .regex(/^\d{1,4}$/, "'page_size' must be a whole number")
    .transform(Number)
    .refine(
      (n) => n >= 1 && n <= MAX_ENDPOINTS_PAGE_SIZE,
      `'page_size' must be between 1 and ${MAX_ENDPOINTS_PAGE_SIZE}`,
    )
    .optional()
    .describe(`Endpoints per page, 1 to ${MAX_ENDPOINTS_PAGE_SIZE}; without it the whole list in one answer.`),
  page_token: z.string().optional().describe("The `next_page_token` of the previous page."),
  search: z
    .string()
    .max(200)
    .optional()
    .describe("Only endpoints whose name, creator or task contains this text (case-insensitive)."),
});
export const logsResponse = z.object({ logs: z.string() });
