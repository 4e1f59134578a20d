import { z } from "zod";

/** `{{secrets/<scope>/<key>}}`: how config refers to a value held by the Secrets API. */
const SECRET_REFERENCE = /^\{\{\s*secrets\/([A-Za-z0-9_.-]{1,128})\/([A-Za-z0-9_.-]{1,128})\s*\}\}$/;

const secretReference = z
  .string()
  .regex(SECRET_REFERENCE, "must be a secret reference of the form {{secrets/<scope>/<key>}}");

export function parseSecretReference(value: string): { scope: string; key: string } | null {
  const m = SECRET_REFERENCE.exec(value);
  return m ? { scope: m[1]!, key: m[2]! } : null;
}

const plaintext = z
  .string()
  .min(1, "must not be empty")
  .max(128 * 1024, "must be at most 128 KB");
const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const openaiConfig = z.strictObject({
  openai_api_key: secretReference.optional(),
  openai_api_key_plaintext: plaintext.optional(),
  openai_api_base: url.optional(),
  openai_api_type: z.enum(["openai", "azure", "azuread"]).optional(),
  openai_api_version: z.string().min(1).optional(),
  openai_deployment_name: z.string().min(1).optional(),
  openai_organization: z.string().min(1).optional(),
  microsoft_entra_client_id: z.string().min(1).optional(),
  microsoft_entra_tenant_id: z.string().min(1).optional(),
  microsoft_entra_client_secret: secretReference.optional(),
  microsoft_entra_client_secret_plaintext: plaintext.optional(),
});

const anthropicConfig = z.strictObject({
  anthropic_api_key: secretReference.optional(),
  anthropic_api_key_plaintext: plaintext.optional(),
});

const cohereConfig = z.strictObject({
  cohere_api_key: secretReference.optional(),
  cohere_api_key_plaintext: plaintext.optional(),
  cohere_api_base: url.optional(),
});

const amazonBedrockConfig = z.strictObject({
  aws_region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as us-east-1"),
  bedrock_provider: z.enum(["anthropic", "cohere", "ai21labs", "amazon"]),
  aws_access_key_id: secretReference.optional(),
  aws_access_key_id_plaintext: plaintext.optional(),
  aws_secret_access_key: secretReference.optional(),
  aws_secret_access_key_plaintext: plaintext.optional(),
  instance_profile_arn: z.string().startsWith("arn:", "must be an ARN").optional(),
});

const googleCloudVertexAiConfig = z.strictObject({
  project_id: z.string().min(1),
  region: z.string().min(1),
  private_key: secretReference.optional(),
  private_key_plaintext: plaintext.optional(),
});

const ai21labsConfig = z.strictObject({
  ai21labs_api_key: secretReference.optional(),
  ai21labs_api_key_plaintext: plaintext.optional(),
});

const databricksModelServingConfig = z.strictObject({
  databricks_workspace_url: url,
  databricks_api_token: secretReference.optional(),
  databricks_api_token_plaintext: plaintext.optional(),
});

const palmConfig = z.strictObject({
  palm_api_key: secretReference.optional(),
  palm_api_key_plaintext: plaintext.optional(),
});

const customProviderConfig = z.strictObject({
  custom_provider_url: url,
  api_key_auth: z
    .strictObject({
      key: z
        .string()
        .min(1)
        .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be a valid HTTP header name"),
      value: secretReference.optional(),
      value_plaintext: plaintext.optional(),
    })
    .optional(),
  bearer_token_auth: z
    .strictObject({
      token: secretReference.optional(),
      token_plaintext: plaintext.optional(),
    })
    .optional(),
});

/**
 * One entry per provider: the config key it must be given under, its schema, and which of its
 * fields hold credentials (each has a `_plaintext` twin; give exactly one of the two).
 * `requiredSecrets` lists secrets that must be present; `check` adds provider-specific rules.
 */
interface ProviderSpec {
  configKey: string;
  schema: z.ZodType;
  secretFields: readonly string[];
  check?: (config: Record<string, unknown>, has: (field: string) => boolean) => string | null;
}

export const PROVIDERS = {
  openai: {
    configKey: "openai_config",
    schema: openaiConfig,
    secretFields: ["openai_api_key", "microsoft_entra_client_secret"],
    check: (config, has) => {
      const type = (config.openai_api_type as string | undefined) ?? "openai";
      if (type === "azuread") {
        for (const f of ["microsoft_entra_client_id", "microsoft_entra_tenant_id"])
          if (!config[f]) return `'${f}' is required when openai_api_type is azuread`;
        if (!has("microsoft_entra_client_secret"))
          return (
            "one of 'microsoft_entra_client_secret' or 'microsoft_entra_client_secret_plaintext' " +
            "is required when openai_api_type is azuread"
          );
      } else if (!has("openai_api_key")) {
        return "one of 'openai_api_key' or 'openai_api_key_plaintext' is required";
      }
      if (type !== "openai") {
        for (const f of ["openai_api_base", "openai_deployment_name", "openai_api_version"])
          if (!config[f]) return `'${f}' is required when openai_api_type is ${type}`;
      }
      return null;
    },
  },
  anthropic: { configKey: "anthropic_config", schema: anthropicConfig, secretFields: ["anthropic_api_key"] },
  cohere: { configKey: "cohere_config", schema: cohereConfig, secretFields: ["cohere_api_key"] },
  "amazon-bedrock": {
    configKey: "amazon_bedrock_config",
    schema: amazonBedrockConfig,
    secretFields: ["aws_access_key_id", "aws_secret_access_key"],
    check: (config, has) => {
      const keys = has("aws_access_key_id") && has("aws_secret_access_key");
      if (config.instance_profile_arn ? has("aws_access_key_id") || has("aws_secret_access_key") : !keys)
        return (
          "give either both AWS access keys (aws_access_key_id[_plaintext] " +
          "and aws_secret_access_key[_plaintext]) or instance_profile_arn"
        );
      return null;
    },
  },
  "google-cloud-vertex-ai": {
    configKey: "google_cloud_vertex_ai_config",
    schema: googleCloudVertexAiConfig,
    secretFields: ["private_key"],
  },
  ai21labs: { configKey: "ai21labs_config", schema: ai21labsConfig, secretFields: ["ai21labs_api_key"] },
  "databricks-model-serving": {
    configKey: "databricks_model_serving_config",
    schema: databricksModelServingConfig,
    secretFields: ["databricks_api_token"],
  },
  palm: { configKey: "palm_config", schema: palmConfig, secretFields: ["palm_api_key"] },
  custom: {
    configKey: "custom_provider_config",
    schema: customProviderConfig,
    secretFields: ["api_key_auth.value", "bearer_token_auth.token"],
    check: (config, has) => {
      const apiKey = config.api_key_auth !== undefined;
      const bearer = config.bearer_token_auth !== undefined;
      if (apiKey === bearer) return "exactly one of 'api_key_auth' or 'bearer_token_auth' is required";
      if (bearer && !has("bearer_token_auth.token"))
        return "one of 'bearer_token_auth.token' or 'bearer_token_auth.token_plaintext' is required";
      return null;
    },
  },
} as const satisfies Record<string, ProviderSpec>;

export type ProviderName = keyof typeof PROVIDERS;
const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];
const PROVIDER_CONFIG_KEYS = PROVIDER_NAMES.map((p) => PROVIDERS[p].configKey);

const TASKS = ["llm/v1/chat", "llm/v1/completions", "llm/v1/embeddings"] as const;
export type Task = (typeof TASKS)[number];

function getPath(obj: Record<string, unknown>, path: string): unknown {
  if (path === "") return obj;
  return path
    .split(".")
    .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** The `external_model` object: name, provider, task and exactly the provider's own config block. */
export const externalModel = z
  .strictObject({
    name: z.string().min(1).max(256),
    provider: z.enum(PROVIDER_NAMES as [ProviderName, ...ProviderName[]]),
    task: z.enum(TASKS),
    openai_config: openaiConfig.optional(),
    anthropic_config: anthropicConfig.optional(),
    cohere_config: cohereConfig.optional(),
    amazon_bedrock_config: amazonBedrockConfig.optional(),
    google_cloud_vertex_ai_config: googleCloudVertexAiConfig.optional(),
    ai21labs_config: ai21labsConfig.optional(),
    databricks_model_serving_config: databricksModelServingConfig.optional(),
    palm_config: palmConfig.optional(),
    custom_provider_config: customProviderConfig.optional(),
  })
  .superRefine((model, ctx) => {
    const spec: ProviderSpec = PROVIDERS[model.provider];
    for (const key of PROVIDER_CONFIG_KEYS) {
      const value = (model as Record<string, unknown>)[key];
      if (key !== spec.configKey && value !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `not allowed for provider '${model.provider}' (use '${spec.configKey}')`,
        });
    }
    const config = (model as Record<string, unknown>)[spec.configKey] as Record<string, unknown> | undefined;
    if (!config) {
      ctx.addIssue({ code: "custom", path: [spec.configKey], message: `is required for provider '${model.provider}'` });
      return;
    }
    for (const field of spec.secretFields) {
      if (getPath(config, field) !== undefined && getPath(config, `${field}_plaintext`) !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [spec.configKey, ...field.split(".")],
          message: `give only one of '${field}' and '${field}_plaintext'`,
        });
    }
    const has = (field: string) =>
      getPath(config, field) !== undefined || getPath(config, `${field}_plaintext`) !== undefined;
    const required = spec.check ? null : spec.secretFields[0];
    if (required && !has(required))
      ctx.addIssue({
        code: "custom",
        path: [spec.configKey],
        message: `one of '${required}' or '${required}_plaintext' is required`,
      });
    const problem = spec.check?.(config, has);
    if (problem) ctx.addIssue({ code: "custom", path: [spec.configKey], message: problem });
  });

export type ExternalModel = z.infer<typeof externalModel>;

/**
 * Where each credential field of an external model lives: `field` is its path in the provider
 * config (e.g. `bearer_token_auth.token`), `holder[name]` the reference and `holder[name + "_plaintext"]`
 * the plaintext twin. Fields whose parent object is absent are left out.
 */
export function credentialSlots(
  model: ExternalModel,
): { field: string; holder: Record<string, unknown>; name: string }[] {
  const spec = PROVIDERS[model.provider];
  const config = (model as Record<string, unknown>)[spec.configKey];
  if (!config || typeof config !== "object") return [];
  const slots: { field: string; holder: Record<string, unknown>; name: string }[] = [];
  for (const field of spec.secretFields) {
    const parts = field.split(".");
    const holder = getPath(config as Record<string, unknown>, parts.slice(0, -1).join("."));
    if (holder && typeof holder === "object")
      slots.push({ field, holder: holder as Record<string, unknown>, name: parts.at(-1)! });
  }
  return slots;
}
