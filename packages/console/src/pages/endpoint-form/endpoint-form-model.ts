/**
 * The create/edit form's state and the API body it stands for. Pure functions: tested in Node
 * (endpoint-form-model.test.ts), the page only renders them. The API validates the body again and its message
 * is what the user sees; the checks here only catch what the form itself can get wrong (traffic sum, JSON).
 */
import type { AiGateway } from "@edgeserve/api";

/** Provider → its config block and the field that holds its main credential (packages/api PROVIDERS). */
export const PROVIDER_FORMS = {
  openai: { configKey: "openai_config", secretField: "openai_api_key" },
  anthropic: { configKey: "anthropic_config", secretField: "anthropic_api_key" },
  cohere: { configKey: "cohere_config", secretField: "cohere_api_key" },
  "amazon-bedrock": { configKey: "amazon_bedrock_config", secretField: "aws_secret_access_key" },
  "google-cloud-vertex-ai": { configKey: "google_cloud_vertex_ai_config", secretField: "private_key" },
  ai21labs: { configKey: "ai21labs_config", secretField: "ai21labs_api_key" },
  "databricks-model-serving": { configKey: "databricks_model_serving_config", secretField: "databricks_api_token" },
  palm: { configKey: "palm_config", secretField: "palm_api_key" },
  custom: { configKey: "custom_provider_config", secretField: "bearer_token_auth.token" },
} as const;
export type Provider = keyof typeof PROVIDER_FORMS;
export const TASKS = ["llm/v1/chat", "llm/v1/completions", "llm/v1/embeddings"] as const;

export interface EntityForm {
  name: string;
  kind: "external" | "registry";
  provider: Provider;
  model: string;
  task: (typeof TASKS)[number];
  /** A secret reference `{{secrets/scope/key}}` (picked from the user's scopes) or a key pasted in. */
  credential: { mode: "secret"; reference: string } | { mode: "plaintext"; value: string };
  /** Other fields of the provider's config block, as JSON (region, base URL, project…). */
  providerExtra: string;
  entityName: string;
  entityVersion: string;
  trafficPercentage: number;
}

export const RATE_LIMIT_KEYS = ["endpoint", "user", "user_group", "service_principal"] as const;

/** One of `ai_gateway.rate_limits`, per minute: calls and/or tokens, for the whole endpoint or per principal. */
export interface RateLimitForm {
  key: (typeof RATE_LIMIT_KEYS)[number];
  /** The user, group or service principal it applies to (empty: each one of that kind). */
  principal: string;
  calls: string;
  tokens: string;
}

/** `ai_gateway.guardrails.input` or `.output`. Keywords and topics: one per line. */
export interface GuardrailForm {
  safety: boolean;
  /** `safety_endpoint_name` (Edgeserve's extension): the classifier endpoint; empty for the gateway's default. */
  safetyEndpoint: string;
  pii: "NONE" | "BLOCK" | "MASK";
  invalidKeywords: string;
  validTopics: string;
}

export interface EndpointForm {
  name: string;
  entities: EntityForm[];
  usageTracking: boolean;
  payloadLogging: boolean;
  rateLimits: RateLimitForm[];
  guardrails: { input: GuardrailForm; output: GuardrailForm };
  /** `fallback_config.enabled`: a failing entity's queries go to the others in order (docs/fallbacks.md). */
  fallbacks: boolean;
}

export function emptyRateLimit(): RateLimitForm {
  return { key: "user", principal: "", calls: "", tokens: "" };
}

export function emptyGuardrail(): GuardrailForm {
  return { safety: false, safetyEndpoint: "", pii: "NONE", invalidKeywords: "", validTopics: "" };
}

export function emptyEntity(index: number): EntityForm {
  return {
    name: index === 0 ? "primary" : `entity-${index + 1}`,
    kind: "external",
    provider: "openai",
    model: "",
    task: "llm/v1/chat",
    credential: { mode: "secret", reference: "" },
    providerExtra: "",
    entityName: "",
    entityVersion: "",
    trafficPercentage: index === 0 ? 100 : 0,
  };
}

export function emptyForm(): EndpointForm {
  return {
    name: "",
    entities: [emptyEntity(0)],
    usageTracking: true,
    payloadLogging: false,
    rateLimits: [],
    guardrails: { input: emptyGuardrail(), output: emptyGuardrail() },
    fallbacks: false,
  };
}

/** Sets `a.b.c` in an object, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = target;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
}

/** Problems the form can see before sending (the API checks everything else and words its own errors). */
export function formProblems(form: EndpointForm): string[] {
  const problems: string[] = [];
  const total = form.entities.reduce((n, e) => n + (Number(e.trafficPercentage) || 0), 0);
  if (total !== 100) problems.push(`Traffic percentages must sum to 100 (now ${total}).`);
  for (const e of form.entities) {
    if (e.kind === "external" && e.providerExtra.trim()) {
      try {
        const extra = JSON.parse(e.providerExtra);
        if (!extra || typeof extra !== "object" || Array.isArray(extra))
          problems.push(`${e.name}: provider settings must be a JSON object.`);
      } catch {
        problems.push(`${e.name}: provider settings are not valid JSON.`);
      }
    }
  }
  return problems;
}

function entityBody(e: EntityForm): Record<string, unknown> {
  if (e.kind === "registry") {
    return { name: e.name, entity_name: e.entityName, entity_version: e.entityVersion };
  }
  const spec = PROVIDER_FORMS[e.provider];
  let providerConfig: Record<string, unknown> = {};
  try {
    providerConfig = e.providerExtra.trim() ? JSON.parse(e.providerExtra) : {};
  } catch {
    providerConfig = {};
  }
  if (e.credential.mode === "secret" && e.credential.reference)
    setPath(providerConfig, spec.secretField, e.credential.reference);
  if (e.credential.mode === "plaintext" && e.credential.value)
    setPath(providerConfig, `${spec.secretField}_plaintext`, e.credential.value);
  return {
    name: e.name,
    external_model: { name: e.model, provider: e.provider, task: e.task, [spec.configKey]: providerConfig },
  };
}

/** The `config` of POST /api/2.0/serving-endpoints and PUT …/config. */
export function configBody(form: EndpointForm): Record<string, unknown> {
  return {
    served_entities: form.entities.map(entityBody),
    traffic_config: {
      routes: form.entities.map((e) => ({
        served_entity_name: e.name,
        traffic_percentage: Number(e.trafficPercentage) || 0,
      })),
    },
  };
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

function rateLimitBody(limit: RateLimitForm): Record<string, unknown> {
  // Sent as typed: the API's own schema (validated before sending, see ai-gateway-problem.ts) words any problem.
  return {
    ...(limit.calls.trim() ? { calls: Number(limit.calls) } : {}),
    ...(limit.tokens.trim() ? { tokens: Number(limit.tokens) } : {}),
    key: limit.key,
    ...(limit.principal.trim() ? { principal: limit.principal.trim() } : {}),
    renewal_period: "minute",
  };
}

/** A guardrail direction's body, or undefined when it does nothing. */
function guardrailBody(g: GuardrailForm): Record<string, unknown> | undefined {
  const body = {
    ...(g.safety ? { safety: true } : {}),
    ...(g.safety && g.safetyEndpoint.trim() ? { safety_endpoint_name: g.safetyEndpoint.trim() } : {}),
    ...(g.pii !== "NONE" ? { pii: { behavior: g.pii } } : {}),
    ...(lines(g.invalidKeywords).length ? { invalid_keywords: lines(g.invalidKeywords) } : {}),
    ...(lines(g.validTopics).length ? { valid_topics: lines(g.validTopics) } : {}),
  };
  return Object.keys(body).length ? body : undefined;
}

/** The `ai_gateway` of the create body and of PUT …/ai-gateway. */
export function aiGatewayBody(form: EndpointForm): Record<string, unknown> {
  const input = guardrailBody(form.guardrails.input);
  const output = guardrailBody(form.guardrails.output);
  return {
    usage_tracking_config: { enabled: form.usageTracking },
    inference_table_config: { enabled: form.payloadLogging },
    ...(form.rateLimits.length ? { rate_limits: form.rateLimits.map(rateLimitBody) } : {}),
    ...(input || output ? { guardrails: { ...(input && { input }), ...(output && { output }) } } : {}),
    ...(form.fallbacks ? { fallback_config: { enabled: true } } : {}),
  };
}

/** The whole create body: what the JSON view shows and what is sent. */
export function createBody(form: EndpointForm): Record<string, unknown> {
  return { name: form.name, config: configBody(form), ai_gateway: aiGatewayBody(form) };
}

/** Line diff of two JSON texts (longest common subsequence): what changes before an edit is saved. */
export function lineDiff(before: string, after: string): { kind: " " | "-" | "+"; line: string }[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: { kind: " " | "-" | "+"; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: " ", line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: "-", line: a[i++]! });
    else out.push({ kind: "+", line: b[j++]! });
  }
  while (i < a.length) out.push({ kind: "-", line: a[i++]! });
  while (j < b.length) out.push({ kind: "+", line: b[j++]! });
  return out;
}

/** A served entity as the API returns it: the fields the form reads (its provider config block by name). */
interface ServedEntityView {
  name: string;
  entity_name?: string;
  entity_version?: string;
  external_model?: { provider: string; name: string; task: EntityForm["task"]; [configKey: string]: unknown };
}

/** An existing endpoint's config and gateway as the form (edit). Fields the form has no control for stay in JSON. */
export function formFromEndpoint(endpoint: {
  name: string;
  config?: { served_entities: ServedEntityView[]; traffic_config?: { routes: Record<string, unknown>[] } };
  ai_gateway?: AiGateway;
}): EndpointForm {
  const routes = endpoint.config?.traffic_config?.routes ?? [];
  const entities = (endpoint.config?.served_entities ?? []).map((e, index): EntityForm => {
    const base = emptyEntity(index);
    const route = routes.find((r) => (r.served_entity_name ?? r.served_model_name) === e.name);
    const traffic = route ? Number(route.traffic_percentage) : routes.length === 0 ? 100 : 0;
    if (!e.external_model)
      return {
        ...base,
        name: e.name,
        kind: "registry",
        entityName: e.entity_name ?? "",
        entityVersion: String(e.entity_version ?? ""),
        trafficPercentage: traffic,
      };
    const provider = e.external_model.provider as Provider;
    const spec = PROVIDER_FORMS[provider] ?? PROVIDER_FORMS.custom;
    const providerConfig = { ...(e.external_model[spec.configKey] ?? {}) } as Record<string, unknown>;
    const [top, sub] = spec.secretField.split(".");
    // A nested credential (custom's `bearer_token_auth.token`) sits in a block of its own.
    const block = sub ? (providerConfig[top!] as Record<string, unknown> | undefined) : undefined;
    const reference = sub ? block?.[sub] : providerConfig[top!];
    if (sub && block) {
      const { [sub]: _secret, ...rest } = block;
      providerConfig[top!] = rest;
      if (Object.keys(rest).length === 0) delete providerConfig[top!];
    } else delete providerConfig[top!];
    return {
      ...base,
      name: e.name,
      provider,
      model: e.external_model.name,
      task: e.external_model.task,
      credential: { mode: "secret", reference: typeof reference === "string" ? reference : "" },
      providerExtra: Object.keys(providerConfig).length ? JSON.stringify(providerConfig) : "",
      trafficPercentage: traffic,
    };
  });
  const gateway: AiGateway = endpoint.ai_gateway ?? {};
  return {
    name: endpoint.name,
    entities: entities.length ? entities : [emptyEntity(0)],
    usageTracking: gateway.usage_tracking_config?.enabled === true,
    payloadLogging: gateway.inference_table_config?.enabled === true,
    rateLimits: (gateway.rate_limits ?? []).map((l) => ({
      key: l.key ?? "endpoint",
      principal: l.principal ?? "",
      calls: l.calls !== undefined ? String(l.calls) : "",
      tokens: l.tokens !== undefined ? String(l.tokens) : "",
    })),
    guardrails: {
      input: guardrailForm(gateway.guardrails?.input),
      output: guardrailForm(gateway.guardrails?.output),
    },
    fallbacks: gateway.fallback_config?.enabled === true,
  };
}

function guardrailForm(g: NonNullable<AiGateway["guardrails"]>["input"]): GuardrailForm {
  return {
    safety: g?.safety === true,
    safetyEndpoint: g?.safety_endpoint_name ?? "",
    pii: g?.pii?.behavior ?? "NONE",
    invalidKeywords: (g?.invalid_keywords ?? []).join("\n"),
    validTopics: (g?.valid_topics ?? []).join("\n"),
  };
}
