import { z } from "zod";

const MAX_RATE_LIMITS = 20;
const MAX_GROUP_RATE_LIMITS = 5;

const rateLimitKey = z.enum(["endpoint", "user", "user_group", "service_principal"]);

const aiGatewayRateLimit = z
  .strictObject({
    calls: z.number().int().min(0).optional(),
    tokens: z.number().int().min(0).optional(),
    key: rateLimitKey.optional(),
    principal: z.string().min(1).max(255).optional(),
    renewal_period: z.literal("minute", "the only supported renewal_period is 'minute'"),
  })
  .superRefine((limit, ctx) => {
    if (limit.calls === undefined && limit.tokens === undefined)
      ctx.addIssue({ code: "custom", path: ["calls"], message: "one of 'calls' or 'tokens' is required" });
    const key = limit.key ?? "endpoint";
    if (key === "endpoint" && limit.principal !== undefined)
      ctx.addIssue({ code: "custom", path: ["principal"], message: "is not allowed when key is 'endpoint'" });
    if (key === "user_group" && limit.principal === undefined)
      ctx.addIssue({ code: "custom", path: ["principal"], message: "is required when key is 'user_group'" });
  });
export type AiGatewayRateLimit = z.infer<typeof aiGatewayRateLimit>;

/** The deprecated top-level `rate_limits` (PUT …/rate-limits). */
export const legacyRateLimit = z.strictObject({
  calls: z.number().int().min(0),
  key: z.enum(["user", "endpoint"]).optional(),
  renewal_period: z.literal("minute", "the only supported renewal_period is 'minute'"),
});
export type LegacyRateLimit = z.infer<typeof legacyRateLimit>;

const guardrailParameters = z.strictObject({
  safety: z.boolean().optional(),
  /**
   * Edgeserve extension: the serving endpoint (chat or completions) that classifies text for `safety`, Llama-Guard
   * style.
   */
  safety_endpoint_name: z.string().min(1).max(63).optional(),
  pii: z.strictObject({ behavior: z.enum(["NONE", "BLOCK", "MASK"]).optional() }).optional(),
  invalid_keywords: z.array(z.string().min(1).max(1024)).max(1000).optional(),
  valid_topics: z.array(z.string().min(1).max(1024)).max(100).optional(),
});

export type GuardrailParameters = z.infer<typeof guardrailParameters>;

const inferenceTableConfig = z.strictObject({
  catalog_name: z.string().min(1).max(255).optional(),
  schema_name: z.string().min(1).max(255).optional(),
  table_name_prefix: z.string().min(1).max(255).optional(),
  enabled: z.boolean().optional(),
});

const fallbackConfig = z
  .strictObject({ enabled: z.boolean() })
  .describe(
    "With `enabled: true`, a query whose served entity (picked by the traffic split) " +
      "answers 429 or 5xx, cannot be reached or times out is sent to the endpoint's other " +
      "served entities in `served_entities` order until one answers; if all fail, the " +
      "last error is returned. Entities at 0 % traffic serve only as fallbacks. A stream " +
      "falls back only before its first byte. The `served-model-name` response header " +
      "names the entity that answered. Databricks allows it for external models only; " +
      "Edgeserve for every kind of entity that can share an endpoint (docs/fallbacks.md).",
  );

const aiGatewayFields = {
  usage_tracking_config: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  inference_table_config: inferenceTableConfig.optional(),
  rate_limits: z
    .array(aiGatewayRateLimit)
    .max(MAX_RATE_LIMITS, `at most ${MAX_RATE_LIMITS} rate limits per endpoint`)
    .optional(),
  guardrails: z
    .strictObject({ input: guardrailParameters.optional(), output: guardrailParameters.optional() })
    .optional(),
  fallback_config: fallbackConfig.optional(),
};

function checkRateLimits(gateway: { rate_limits?: AiGatewayRateLimit[] }, ctx: z.RefinementCtx): void {
  const groups = (gateway.rate_limits ?? []).filter((l) => l.key === "user_group").length;
  if (groups > MAX_GROUP_RATE_LIMITS)
    ctx.addIssue({
      code: "custom",
      path: ["rate_limits"],
      message: `at most ${MAX_GROUP_RATE_LIMITS} user_group rate limits per endpoint`,
    });
  const seen = new Set<string>();
  (gateway.rate_limits ?? []).forEach((l, i) => {
    const id = `${l.key ?? "endpoint"}:${l.principal ?? ""}`;
    if (seen.has(id))
      ctx.addIssue({
        code: "custom",
        path: ["rate_limits", i],
        message:
          `duplicate rate limit for key ` +
          `'${l.key ?? "endpoint"}'${l.principal ? ` and principal '${l.principal}'` : ""}`,
      });
    seen.add(id);
  });
}

/** The AI Gateway config: `ai_gateway` of create, and what GET and PUT …/ai-gateway answer. */
export const aiGateway = z.strictObject(aiGatewayFields).superRefine(checkRateLimits);

/** The body of PUT …/{name}/ai-gateway: the config, plus the endpoint's name, which must be the one in the path. */
export const putAiGatewayRequest = z
  .strictObject({
    name: z.string().optional().describe("The endpoint's name; when given, it must be the one in the path."),
    ...aiGatewayFields,
  })
  .superRefine(checkRateLimits);
export type AiGateway = z.infer<typeof aiGateway>;
