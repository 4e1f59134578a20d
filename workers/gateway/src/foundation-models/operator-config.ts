import { aiGateway } from "@edgeserve/api";
import { z } from "zod";
import { FOUNDATION_CATALOGUE } from "./catalogue";

const price = z.strictObject({
  /** USD per million prompt tokens. */
  input: z.number().min(0),
  /** USD per million completion tokens. */
  output: z.number().min(0),
});

const limits = z.strictObject({
  input_tokens_per_minute: z.number().int().min(0).optional(),
  output_tokens_per_minute: z.number().int().min(0).optional(),
  queries_per_hour: z.number().int().min(0).optional(),
});

const common = {
  price_per_million_tokens: price,
  limits: limits.optional(),
  /** AI Gateway settings as PUT …/ai-gateway takes them (guardrails, inference tables, rate limits). */
  ai_gateway: aiGateway.optional(),
  /**
   * What the backend serves for this model, in tokens per second (prompt + completion): provisioned-throughput
   * endpoints reserve bands of it; pay-per-token traffic gets what the reservations leave. Absent: nothing can
   * be provisioned on this model and pay-per-token traffic has no tokens/s cap.
   */
  capacity_tokens_per_second: z.number().int().positive().optional(),
};

/** Where one enabled model is served (docs/foundation-models.md). */
const enabledModel = z.discriminatedUnion("backend", [
  /**
   * Workers AI through the gateway's `AI` binding; `model` is its id, e.g.
   * `@cf/meta/llama-3.3-70b-instruct-fp8-fast`.
   */
  z.strictObject({ backend: z.literal("workers-ai"), model: z.string().min(1), ...common }),
  /** Any OpenAI-compatible server (vLLM, TGI, llama.cpp, Ollama): base URL up to `/v1`, the server's model name. */
  z.strictObject({
    backend: z.literal("openai-compatible"),
    url: z.url({ protocol: /^https?$/ }),
    model: z.string().min(1),
    /** Name of a worker secret (`wrangler secret put`) holding the server's bearer token. */
    api_key_secret: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .optional(),
    ...common,
  }),
  /** The inference worker's built-in encoder (embeddings only): answers offline, 512-dimensional vectors. */
  z.strictObject({ backend: z.literal("inference"), ...common }),
]);

export type EnabledModel = z.infer<typeof enabledModel>;
export type PayPerTokenLimits = z.infer<typeof limits>;

const operatorConfig = z.record(z.string(), enabledModel).superRefine((models, ctx) => {
  for (const [name, enabled] of Object.entries(models)) {
    const known = FOUNDATION_CATALOGUE[name];
    if (!known) {
      ctx.addIssue({ code: "custom", path: [name], message: `not a catalogue model (${catalogueNames()})` });
      continue;
    }
    if (enabled.backend === "inference" && known.task !== "llm/v1/embeddings")
      ctx.addIssue({
        code: "custom",
        path: [name, "backend"],
        message: "the inference backend serves embeddings only",
      });
  }
});

type OperatorConfig = z.infer<typeof operatorConfig>;

function catalogueNames(): string {
  return Object.keys(FOUNDATION_CATALOGUE).join(", ");
}

/** The parsed EDGESERVE_FOUNDATION_MODELS, or why it cannot be used. Unset: no model enabled. */
export type ParsedOperatorConfig = { models: OperatorConfig } | { problem: string };

let parsed: { text: string | undefined; result: ParsedOperatorConfig } | null = null;

/** Parses EDGESERVE_FOUNDATION_MODELS once per isolate (again only if the text changes). */
export function readOperatorConfig(text: string | undefined): ParsedOperatorConfig {
  if (parsed && parsed.text === text) return parsed.result;
  const result = parseOperatorConfig(text);
  parsed = { text, result };
  return result;
}

function parseOperatorConfig(text: string | undefined): ParsedOperatorConfig {
  if (text === undefined || text.trim() === "") return { models: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { problem: `EDGESERVE_FOUNDATION_MODELS is not JSON: ${e instanceof Error ? e.message : e}` };
  }
  const checked = operatorConfig.safeParse(json);
  if (checked.success) return { models: checked.data };
  return { problem: `EDGESERVE_FOUNDATION_MODELS is invalid: ${z.prettifyError(checked.error).replace(/\n/g, " ")}` };
}
