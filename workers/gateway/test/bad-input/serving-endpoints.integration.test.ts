import {
  createServingEndpointRequest,
  endpointCoreConfigInput,
  patchNotificationsRequest,
  patchTagsRequest,
  patchTelemetryConfigRequest,
  putAiGatewayRequest,
  putRateLimitsRequest,
  setPermissionsRequest,
} from "@edgeserve/api";
import { beforeAll, describe, it } from "vitest";
import { createReadyEndpoint, customChatEndpoint } from "../endpoints";
import { type FieldSpec, type RouteCase, badInputSuite, checkBadRequest, digest, warmUp } from "./harness";

/** Bad input on the serving-endpoints control plane (/api/2.0/serving-endpoints) and its permissions API. */

const BASE = "/api/2.0/serving-endpoints";
const PERMS = "/api/2.0/permissions/serving-endpoints";
const EP = "bi-ep";
const MISSING_ID = "ffffffffffffffffffffffffffffffff";

let endpointId = "";

type FieldPath = FieldSpec["path"];

function createBody() {
  return {
    ...customChatEndpoint("bi-new"),
    description: "an endpoint",
    route_optimized: false,
    tags: [{ key: "team", value: "x" }],
    ai_gateway: {
      usage_tracking_config: { enabled: true },
      rate_limits: [{ calls: 10, key: "user", renewal_period: "minute" }],
    },
    budget_policy_id: "policy",
    email_notifications: { on_update_success: ["a@example.com"] },
    rate_limits: [{ calls: 10, key: "user", renewal_period: "minute" }],
    telemetry_config: {},
  };
}

const configBody = () => ({
  ...customChatEndpoint(EP).config,
  traffic_config: { routes: [{ served_entity_name: "primary", traffic_percentage: 100 }] },
});
const aiGatewayBody = {
  usage_tracking_config: { enabled: true },
  inference_table_config: { enabled: false },
  rate_limits: [{ calls: 5, key: "user", renewal_period: "minute" }],
  guardrails: { input: { safety: true, pii: { behavior: "BLOCK" }, invalid_keywords: ["x"] } },
  fallback_config: { enabled: false },
};

const configFields = (prefix: FieldPath): FieldSpec[] => [
  { path: [...prefix, "served_entities"], kind: "array" },
  { path: [...prefix, "served_entities", 0], kind: "object" },
  { path: [...prefix, "served_entities", 0, "name"], kind: "string" },
  { path: [...prefix, "served_entities", 0, "external_model"], kind: "object" },
  { path: [...prefix, "served_entities", 0, "external_model", "name"], kind: "string" },
  { path: [...prefix, "served_entities", 0, "external_model", "provider"], kind: "string" },
  { path: [...prefix, "served_entities", 0, "external_model", "task"], kind: "string" },
  { path: [...prefix, "served_entities", 0, "external_model", "custom_provider_config"], kind: "object" },
  {
    path: [...prefix, "served_entities", 0, "external_model", "custom_provider_config", "custom_provider_url"],
    kind: "string",
  },
  {
    path: [
      ...prefix,
      "served_entities",
      0,
      "external_model",
      "custom_provider_config",
      "bearer_token_auth",
      "token_plaintext",
    ],
    kind: "string",
  },
  { path: [...prefix, "served_entities", 0, "min_provisioned_concurrency"], kind: "int" },
  { path: [...prefix, "served_entities", 0, "environment_vars"], kind: "object" },
  { path: [...prefix, "traffic_config"], kind: "object" },
  { path: [...prefix, "traffic_config", "routes"], kind: "array" },
  { path: [...prefix, "traffic_config", "routes", 0, "traffic_percentage"], kind: "int" },
  { path: [...prefix, "auto_capture_config"], kind: "object" },
  { path: [...prefix, "auto_capture_config", "enabled"], kind: "boolean" },
  { path: [...prefix, "served_models"], kind: "array" },
];

const configStrictPaths = (prefix: FieldPath): FieldPath[] => [
  prefix,
  [...prefix, "served_entities", 0],
  [...prefix, "served_entities", 0, "external_model"],
  [...prefix, "served_entities", 0, "external_model", "custom_provider_config"],
  [...prefix, "served_entities", 0, "external_model", "custom_provider_config", "bearer_token_auth"],
  [...prefix, "traffic_config"],
  [...prefix, "traffic_config", "routes", 0],
];

function routes(): RouteCase[] {
  const ep = `${BASE}/${EP}`;
  const existing = [EP];
  return [
    {
      method: "POST",
      pattern: BASE,
      path: BASE,
      body: {
        valid: createBody(),
        schema: createServingEndpointRequest,
        strict: true,
        strictPaths: [
          ...configStrictPaths(["config"]),
          ["tags", 0],
          ["ai_gateway"],
          ["ai_gateway", "rate_limits", 0],
          ["rate_limits", 0],
          ["email_notifications"],
        ],
        fields: [
          { path: ["name"], kind: "string" },
          { path: ["config"], kind: "object" },
          ...configFields(["config"]),
          { path: ["description"], kind: "string" },
          { path: ["route_optimized"], kind: "boolean" },
          { path: ["tags"], kind: "array" },
          { path: ["tags", 0, "key"], kind: "string" },
          { path: ["tags", 0, "value"], kind: "string" },
          { path: ["ai_gateway"], kind: "object" },
          { path: ["ai_gateway", "rate_limits", 0, "calls"], kind: "int" },
          { path: ["budget_policy_id"], kind: "string" },
          { path: ["email_notifications"], kind: "object" },
          { path: ["email_notifications", "on_update_success"], kind: "array" },
          { path: ["rate_limits"], kind: "array" },
          { path: ["rate_limits", 0, "calls"], kind: "int" },
          { path: ["telemetry_config"], kind: "object" },
        ],
      },
    },
    { method: "GET", pattern: BASE, path: BASE },
    { method: "GET", pattern: `${BASE}/:name`, path: ep, missingPath: (s) => `${BASE}/${s}`, existing },
    { method: "DELETE", pattern: `${BASE}/:name`, path: ep, missingPath: (s) => `${BASE}/${s}`, existing },
    {
      method: "PUT",
      pattern: `${BASE}/:name/config`,
      path: `${ep}/config`,
      missingPath: (s) => `${BASE}/${s}/config`,
      existing,
      body: {
        valid: configBody(),
        schema: endpointCoreConfigInput,
        strict: true,
        strictPaths: configStrictPaths([]),
        fields: [{ path: ["name"], kind: "string" }, ...configFields([])],
      },
    },
    {
      method: "PUT",
      pattern: `${BASE}/:name/ai-gateway`,
      path: `${ep}/ai-gateway`,
      missingPath: (s) => `${BASE}/${s}/ai-gateway`,
      existing,
      body: {
        valid: aiGatewayBody,
        schema: putAiGatewayRequest,
        strict: true,
        strictPaths: [
          [],
          ["usage_tracking_config"],
          ["inference_table_config"],
          ["rate_limits", 0],
          ["guardrails"],
          ["guardrails", "input"],
          ["guardrails", "input", "pii"],
          ["fallback_config"],
        ],
        fields: [
          { path: ["name"], kind: "string" },
          { path: ["usage_tracking_config"], kind: "object" },
          { path: ["usage_tracking_config", "enabled"], kind: "boolean" },
          { path: ["inference_table_config", "enabled"], kind: "boolean" },
          { path: ["inference_table_config", "catalog_name"], kind: "string" },
          { path: ["rate_limits"], kind: "array" },
          { path: ["rate_limits", 0, "calls"], kind: "int" },
          { path: ["rate_limits", 0, "tokens"], kind: "int" },
          { path: ["rate_limits", 0, "key"], kind: "string" },
          { path: ["rate_limits", 0, "renewal_period"], kind: "string" },
          { path: ["guardrails"], kind: "object" },
          { path: ["guardrails", "input", "safety"], kind: "boolean" },
          { path: ["guardrails", "input", "invalid_keywords"], kind: "array" },
          { path: ["guardrails", "input", "pii", "behavior"], kind: "string" },
          { path: ["fallback_config", "enabled"], kind: "boolean" },
        ],
      },
    },
    {
      method: "PUT",
      pattern: `${BASE}/:name/rate-limits`,
      path: `${ep}/rate-limits`,
      missingPath: (s) => `${BASE}/${s}/rate-limits`,
      existing,
      body: {
        valid: { name: EP, rate_limits: [{ calls: 3, key: "endpoint", renewal_period: "minute" }] },
        schema: putRateLimitsRequest,
        strict: true,
        strictPaths: [[], ["rate_limits", 0]],
        fields: [
          { path: ["name"], kind: "string" },
          { path: ["rate_limits"], kind: "array" },
          { path: ["rate_limits", 0], kind: "object" },
          { path: ["rate_limits", 0, "calls"], kind: "int" },
          { path: ["rate_limits", 0, "key"], kind: "string" },
          { path: ["rate_limits", 0, "renewal_period"], kind: "string" },
        ],
      },
    },
    {
      method: "PATCH",
      pattern: `${BASE}/:name/tags`,
      path: `${ep}/tags`,
      missingPath: (s) => `${BASE}/${s}/tags`,
      existing,
      body: {
        valid: { name: EP, add_tags: [{ key: "k", value: "v" }], delete_tags: ["old"] },
        schema: patchTagsRequest,
        strict: true,
        strictPaths: [[], ["add_tags", 0]],
        fields: [
          { path: ["name"], kind: "string" },
          { path: ["add_tags"], kind: "array" },
          { path: ["add_tags", 0], kind: "object" },
          { path: ["add_tags", 0, "key"], kind: "string" },
          { path: ["add_tags", 0, "value"], kind: "string" },
          { path: ["delete_tags"], kind: "array" },
          { path: ["delete_tags", 0], kind: "string" },
        ],
      },
    },
    {
      method: "PATCH",
      pattern: `${BASE}/:name/notifications`,
      path: `${ep}/notifications`,
      missingPath: (s) => `${BASE}/${s}/notifications`,
      existing,
      body: {
        valid: {
          name: EP,
          email_notifications: { on_update_success: ["a@example.com"], on_update_failure: ["b@example.com"] },
        },
        schema: patchNotificationsRequest,
        strict: true,
        strictPaths: [[], ["email_notifications"]],
        fields: [
          { path: ["name"], kind: "string" },
          { path: ["email_notifications"], kind: "object" },
          { path: ["email_notifications", "on_update_success"], kind: "array" },
          { path: ["email_notifications", "on_update_failure", 0], kind: "string" },
        ],
      },
    },
    {
      method: "PATCH",
      pattern: `${BASE}/:name/telemetry-config`,
      path: `${ep}/telemetry-config`,
      missingPath: (s) => `${BASE}/${s}/telemetry-config`,
      existing,
      body: {
        valid: { name: EP, telemetry_config: {} },
        schema: patchTelemetryConfigRequest,
        strict: true,
        strictPaths: [[], ["telemetry_config"]],
        fields: [
          { path: ["name"], kind: "string" },
          { path: ["telemetry_config"], kind: "object" },
        ],
      },
    },
    {
      method: "GET",
      pattern: `${BASE}/:name/served-models/:entity/logs`,
      path: `${ep}/served-models/primary/logs`,
      missingPath: (s) => (s.length % 2 ? `${BASE}/${s}/served-models/primary/logs` : `${ep}/served-models/${s}/logs`),
      existing: [EP, "primary"],
    },
    {
      method: "GET",
      pattern: `${BASE}/:name/served-models/:entity/build-logs`,
      path: `${ep}/served-models/primary/build-logs`,
      missingPath: (s) =>
        s.length % 2 ? `${BASE}/${s}/served-models/primary/build-logs` : `${ep}/served-models/${s}/build-logs`,
      existing: [EP, "primary"],
    },
    {
      method: "GET",
      pattern: `${BASE}/:name/openapi`,
      path: `${ep}/openapi`,
      missingPath: (s) => `${BASE}/${s}/openapi`,
      existing,
    },
    {
      method: "GET",
      pattern: `${PERMS}/:id/permissionLevels`,
      path: `${PERMS}/${endpointId}/permissionLevels`,
      missingPath: (s) => `${PERMS}/${s}/permissionLevels`,
      existing: [endpointId],
    },
    {
      method: "GET",
      pattern: `${PERMS}/:id`,
      path: `${PERMS}/${endpointId}`,
      missingPath: (s) => `${PERMS}/${s}`,
      existing: [endpointId],
    },
    ...(["PUT", "PATCH"] as const).map(
      (method): RouteCase => ({
        method,
        pattern: `${PERMS}/:id`,
        path: `${PERMS}/${endpointId}`,
        missingPath: (s) => `${PERMS}/${s}`,
        existing: [endpointId],
        body: {
          valid: {
            serving_endpoint_id: endpointId,
            access_control_list: [{ group_name: "users", permission_level: "CAN_QUERY" }],
          },
          schema: setPermissionsRequest,
          strict: true,
          strictPaths: [[], ["access_control_list", 0]],
          fields: [
            { path: ["serving_endpoint_id"], kind: "string" },
            { path: ["access_control_list"], kind: "array" },
            { path: ["access_control_list", 0], kind: "object" },
            { path: ["access_control_list", 0, "group_name"], kind: "string" },
            { path: ["access_control_list", 0, "user_name"], kind: "string" },
            { path: ["access_control_list", 0, "service_principal_name"], kind: "string" },
            { path: ["access_control_list", 0, "permission_level"], kind: "string" },
          ],
        },
      }),
    ),
  ];
}

const DECLARED = [
  `POST ${BASE}`,
  `GET ${BASE}`,
  `GET ${BASE}/:name`,
  `DELETE ${BASE}/:name`,
  `PUT ${BASE}/:name/config`,
  `PUT ${BASE}/:name/ai-gateway`,
  `PUT ${BASE}/:name/rate-limits`,
  `PATCH ${BASE}/:name/tags`,
  `PATCH ${BASE}/:name/notifications`,
  `PATCH ${BASE}/:name/telemetry-config`,
  `GET ${BASE}/:name/served-models/:entity/logs`,
  `GET ${BASE}/:name/served-models/:entity/build-logs`,
  `GET ${BASE}/:name/openapi`,
  `GET ${PERMS}/:id/permissionLevels`,
  `GET ${PERMS}/:id`,
  `PUT ${PERMS}/:id`,
  `PATCH ${PERMS}/:id`,
];

let cases: RouteCase[] = [];

beforeAll(async () => {
  await warmUp();
  const created = await createReadyEndpoint(customChatEndpoint(EP));
  endpointId = created.id;
  cases = routes();
});

describe("bad input: serving endpoints and their permissions", () => {
  badInputSuite(() => cases, DECLARED);

  it(
    "refuses a body just over 1 MB with 413 RESOURCE_LIMIT_EXCEEDED " + "(declared and streamed), changing nothing",
    async () => {
      const body = JSON.stringify({ ...createBody(), description: "x".repeat(1024 * 1024) });
      let state = await digest();
      state = await checkBadRequest(
        { method: "POST", path: BASE, body },
        { statuses: [413], code: "RESOURCE_LIMIT_EXCEEDED" },
        state,
      );
      state = await checkBadRequest(
        { method: "PUT", path: `${BASE}/${EP}/config`, body },
        { statuses: [413], code: "RESOURCE_LIMIT_EXCEEDED" },
        state,
      );
      // Without content-length: the limit must hold while streaming too.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
          for (let i = 0; i < 17; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      await checkBadRequest(
        { method: "PATCH", path: `${BASE}/${EP}/tags`, body: stream },
        { statuses: [413], code: "RESOURCE_LIMIT_EXCEEDED" },
        state,
      );
    },
  );

  it("refuses creating an endpoint whose name exists (409) and changes nothing", async () => {
    await checkBadRequest(
      { method: "POST", path: BASE, body: JSON.stringify(customChatEndpoint(EP)) },
      { statuses: [409], code: "RESOURCE_ALREADY_EXISTS" },
    );
  });

  it("refuses a config whose body name differs from the path, and permissions naming unknown principals", async () => {
    let state = await digest();
    state = await checkBadRequest(
      { method: "PUT", path: `${BASE}/${EP}/config`, body: JSON.stringify({ ...configBody(), name: "other" }) },
      { statuses: [400] },
      state,
    );
    for (const method of ["PUT", "PATCH"]) {
      state = await checkBadRequest(
        {
          method,
          path: `${PERMS}/${endpointId}`,
          body: JSON.stringify({
            access_control_list: [{ user_name: "nobody@example.com", permission_level: "CAN_VIEW" }],
          }),
        },
        { statuses: [400] },
        state,
      );
      state = await checkBadRequest(
        { method, path: `${PERMS}/${endpointId}`, body: JSON.stringify({ serving_endpoint_id: MISSING_ID }) },
        { statuses: [400] },
        state,
      );
    }
  });
});
