import { z } from "zod";
import { WORKLOAD_TYPES } from "./serving-endpoint";

/** How the gateway talks to a model server: MLflow's scoring server, or the Open Inference Protocol v2. */
const MODEL_SERVER_PROTOCOLS = ["mlflow", "oip-v2"] as const;
export type ModelServerProtocol = (typeof MODEL_SERVER_PROTOCOLS)[number];

const serverName = z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, "must be 1-63 characters of letters, digits, '-' and '_'");

/** `{{secrets/<scope>/<key>}}`, as everywhere in the API; never the token itself. */
const secretReference = z
  .string()
  .regex(
    /^\{\{\s*secrets\/[A-Za-z0-9_.-]{1,128}\/[A-Za-z0-9_.-]{1,128}\s*\}\}$/,
    "must be a secret reference of the form {{secrets/<scope>/<key>}}",
  );

const fields = {
  protocol: z
    .enum(MODEL_SERVER_PROTOCOLS)
    .describe(
      "`mlflow`: an MLflow scoring server (`mlflow models serve`: /ping, /invocations), one model per server. " +
        "`oip-v2`: the Open Inference Protocol v2 (KServe, Triton, MLServer: /v2/health/ready, " +
        "/v2/models/{m}/infer), which may hold many models.",
    ),
  base_url: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .describe("Where the server listens, e.g. `https://sklearn.models.internal:8080`; paths are appended to it."),
  bearer_token: secretReference
    .optional()
    .describe("Sent as `Authorization: Bearer …` on every call; a `{{secrets/<scope>/<key>}}` reference."),
  workload_types: z
    .array(z.enum(WORKLOAD_TYPES))
    .min(1, "must list at least one workload type")
    .describe("The served-entity `workload_type`s this server takes (CPU when the entity gives none)."),
  model: z
    .strictObject({
      name: z.string().min(1).max(512),
      version: z.string().regex(/^[1-9][0-9]{0,9}$/, "must be a registry version number"),
    })
    .optional()
    .describe(
      "`mlflow` servers only, and required there: the registry model version the server was started with " +
        "(`mlflow models serve -m models:/<name>/<version>`). Only that version is placed on it: an MLflow " +
        "scoring server serves one model and cannot say which.",
    ),
  max_models: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe(
      "Capacity: how many model versions deployed configs may place on it at once (an `mlflow` server holds one). " +
        "A deployment that would exceed it goes to another server, or fails. Default: unbounded (`oip-v2`).",
    ),
};

/** POST /api/2.0/edgeserve/model-servers. */
export const createModelServerRequest = z.strictObject({ name: serverName, ...fields }).superRefine((s, ctx) => {
  if (s.protocol === "mlflow" && !s.model)
    ctx.addIssue({
      code: "custom",
      path: ["model"],
      message: "is required for an mlflow server (the model it serves)",
    });
  if (s.protocol === "mlflow" && s.max_models !== undefined && s.max_models !== 1)
    ctx.addIssue({
      code: "custom",
      path: ["max_models"],
      message: "must be 1 for an mlflow server (it serves one model)",
    });
  if (s.protocol === "oip-v2" && s.model)
    ctx.addIssue({
      code: "custom",
      path: ["model"],
      message: "is for mlflow servers; an oip-v2 server loads models by name",
    });
});
export type CreateModelServerRequest = z.infer<typeof createModelServerRequest>;

export const modelServerRef = z.strictObject({ name: serverName });

export const modelServer = z.strictObject({
  name: z.string(),
  protocol: z.enum(MODEL_SERVER_PROTOCOLS),
  base_url: z.string(),
  /** The reference, as given; the secret's value is never shown. */
  bearer_token: z.string().optional(),
  workload_types: z.array(z.enum(WORKLOAD_TYPES)),
  model: z.strictObject({ name: z.string(), version: z.string() }).optional(),
  max_models: z.number().int().optional(),
  creator: z.string(),
  creation_timestamp: z.number().int(),
  last_updated_timestamp: z.number().int(),
});
export type ModelServer = z.infer<typeof modelServer>;

export const listModelServersResponse = z.strictObject({ model_servers: z.array(modelServer) });
