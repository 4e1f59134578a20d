import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NO_EFFECT_PREFIX, REFUSED_PREFIX } from "../compatibility";
import { buildOpenApiDocument } from "./document";

type Json = Record<string, any>;

const doc = buildOpenApiDocument() as Json;
const COMPONENT_REF = "#/components/schemas/";

function component(ref: string): Json {
  return doc.components.schemas[ref.slice(COMPONENT_REF.length)];
}

/** The components a request can carry: those reachable from a request body, following $refs. */
function requestComponents(): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const ref = (node as Json).$ref;
    if (typeof ref === "string" && ref.startsWith(COMPONENT_REF)) {
      const name = ref.slice(COMPONENT_REF.length);
      if (names.has(name)) return;
      names.add(name);
      visit(component(ref));
      return;
    }
    Object.values(node).forEach(visit);
  };
  for (const item of Object.values<Json>(doc.paths))
    for (const op of Object.values<Json>(item)) visit(op.requestBody?.content?.["application/json"]?.schema);
  return [...names].sort();
}

/**
 * Every request field with its description, as `Component.path[].to.field` (a field holding another
 * component takes that component's description), plus every query parameter as `operationId?name`.
 */
function requestFields(): Map<string, string | undefined> {
  const fields = new Map<string, string | undefined>();
  const walk = (schema: Json | undefined, path: string): void => {
    if (!schema) return;
    for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
      const at = `${path}.${name}`;
      fields.set(at, property.description ?? (property.$ref ? component(property.$ref).description : undefined));
      if (!property.$ref) walk(property, at);
    }
    if (schema.items && !schema.items.$ref) walk(schema.items, `${path}[]`);
    for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
      if (!branch.$ref) walk(branch, path);
  };
  for (const name of requestComponents()) walk(doc.components.schemas[name], name);
  for (const item of Object.values<Json>(doc.paths))
    for (const op of Object.values<Json>(item))
      for (const p of op.parameters ?? [])
        if (p.in === "query") fields.set(`${op.operationId}?${p.name}`, p.description);
  return fields;
}

const fields = requestFields();
const withPrefix = (prefix: string) =>
  [...fields]
    .filter(([, d]) => d?.startsWith(prefix))
    .map(([f]) => f)
    .sort();

/** The request fields accepted with no effect: the inventory of docs/api-settings.md, by OpenAPI location. */
const NO_EFFECT_FIELDS = [
  "CreateServingEndpointRequest.budget_policy_id",
  "CreateServingEndpointRequest.email_notifications",
  "CreateServingEndpointRequest.route_optimized",
  "EndpointCoreConfigInput.served_models[].max_provisioned_concurrency",
  "EndpointCoreConfigInput.served_models[].min_provisioned_concurrency",
  "EndpointCoreConfigInput.served_models[].scale_to_zero_enabled",
  "EndpointCoreConfigInput.served_models[].workload_size",
  "PatchNotificationsRequest.email_notifications",
  "ScimGroupRequest.entitlements",
  "ScimGroupRequest.id",
  "ScimGroupRequest.roles",
  "ScimGroupRequest.schemas",
  "ScimPatchRequest.schemas",
  "ScimServicePrincipalRequest.entitlements",
  "ScimServicePrincipalRequest.id",
  "ScimServicePrincipalRequest.roles",
  "ScimServicePrincipalRequest.schemas",
  "ScimUserRequest.emails",
  "ScimUserRequest.entitlements",
  "ScimUserRequest.id",
  "ScimUserRequest.name",
  "ScimUserRequest.roles",
  "ScimUserRequest.schemas",
  "ServedEntityInput.max_provisioned_concurrency",
  "ServedEntityInput.min_provisioned_concurrency",
  "ServedEntityInput.scale_to_zero_enabled",
  "ServedEntityInput.workload_size",
  ...["Groups", "ServicePrincipals", "Users"].flatMap((r) =>
    ["attributes", "excludedAttributes", "sortBy", "sortOrder"].map((p) => `list${r}?${p}`),
  ),
].sort();

/** The request fields refused whatever their value. */
const REFUSED_FIELDS = [
  "CreateScopeRequest.backend_azure_keyvault",
  ...["ServedEntityInput", "EndpointCoreConfigInput.served_models[]"].flatMap((at) =>
    ["instance_profile_arn"].map((f) => `${at}.${f}`),
  ),
  ...["enabled_telemetry_features", "inference_table_config", "table_names", "telemetry_profile_id"].map(
    (f) => `TelemetryConfig.${f}`,
  ),
].sort();

/** Request fields accepted for some values and refused for others; their description says which. */
const PARTLY_REFUSED_FIELDS = [
  "CreateScopeRequest.scope_backend_type",
  "ServedEntityInput.burst_scaling_enabled",
  "EndpointCoreConfigInput.served_models[].burst_scaling_enabled",
  "ServedEntityInput.environment_vars",
  "EndpointCoreConfigInput.served_models[].environment_vars",
  "CreateServingEndpointRequest.telemetry_config",
  "PatchTelemetryConfigRequest.telemetry_config",
];

describe("the OpenAPI description of every setting Edgeserve does not act on", () => {
  it("says it is accepted with no effect, and why, for each field of the inventory and no other", () => {
    expect(withPrefix(NO_EFFECT_PREFIX)).toEqual(NO_EFFECT_FIELDS);
    for (const field of NO_EFFECT_FIELDS) {
      const because = fields.get(field)!.slice(NO_EFFECT_PREFIX.length).trim();
      expect(because.length, `${field} says why`).toBeGreaterThan(20);
    }
  });

  it("says a refused field is refused with 400, and why", () => {
    expect(withPrefix(REFUSED_PREFIX)).toEqual(REFUSED_FIELDS);
    for (const field of REFUSED_FIELDS) expect(fields.get(field), field).toMatch(/not supported on Edgeserve/);
    for (const field of PARTLY_REFUSED_FIELDS)
      expect(fields.get(field), field).toMatch(/refused with 400 INVALID_PARAMETER_VALUE/i);
  });

  it("describes fallback_config as working, in create's ai_gateway and in PUT …/ai-gateway", () => {
    for (const field of ["AiGateway.fallback_config", "PutAiGatewayRequest.fallback_config"]) {
      expect(fields.get(field), field).toMatch(/served_entities` order until one answers/);
      expect(fields.get(field), field).not.toMatch(/refused|not supported|no effect/i);
    }
  });

  it(
    "agrees with docs/api-settings.md: a field has a 'no " + "effect' row there exactly when its description says so",
    () => {
      const page = readFileSync(new URL("../../../../docs/api-settings.md", import.meta.url), "utf8");
      const documented = new Set<string>();
      for (const line of page.split("\n")) {
        const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
        // | `field …` | verdict | details |: the verdict names "no effect" for fields accepted and ignored.
        if (cells.length < 4 || !/no effect/.test(cells[2]!)) continue;
        // Parentheses hold values or sub-fields (`Small`, `givenName`), not more fields.
        for (const [, name] of cells[1]!.replace(/\([^)]*\)/g, "").matchAll(/`([^`]+)`/g)) documented.add(leaf(name!));
      }
      const described = new Set(NO_EFFECT_FIELDS.map(leaf));
      expect([...documented].sort()).toEqual([...described].sort());
    },
  );
});

/**
 * `served_entities[].workload_size` → `workload_size`; `listScimUsers?sortBy` → `sortBy`;
 * `.max_provisioned_concurrency` → itself.
 */
function leaf(field: string): string {
  return field.split(/[.?]/).filter(Boolean).at(-1)!.replace(/\[\]$/, "");
}
