import type { z } from "zod";
import { getAclQuery, getSecretQuery, listAclsQuery, listSecretsQuery } from "../secrets";
import { COMPONENT_SCHEMAS as S } from "./components";
import { listTokensQuery, scimListQuery } from "../identity";
import { usageQuery } from "../usage";
import { listUsageRecordsQuery } from "../usage-records";
import { listServingEndpointsQuery } from "../serving-endpoint";
import { metricsSeriesQuery } from "../metrics-series";
import { listPayloadLogsQuery } from "../payload-logs";
import { listConfigVersionsQuery } from "../config-versions";
import { MAX_DEAD_LETTERS_PER_REPLAY, listDeadLettersQuery } from "../dead-letters";
import {
  getRegisteredModelQuery,
  listArtifactsQuery,
  modelVersionRef,
  aliasRef,
  searchRequest,
  uploadPartQuery,
} from "../mlflow-registry";

type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export const TAGS = {
  endpoints: { name: "Serving endpoints", description: "Create, configure and inspect model serving endpoints." },
  permissions: { name: "Permissions", description: "Per-endpoint access control (CAN_VIEW < CAN_QUERY < CAN_MANAGE)." },
  tokens: { name: "Tokens", description: "The caller's own personal access tokens." },
  tokenManagement: {
    name: "Token management",
    description: "Tokens on behalf of service principals, and all tokens of the workspace.",
  },
  scimUsers: { name: "SCIM users", description: "Users (SCIM 2.0)." },
  scimGroups: { name: "SCIM groups", description: "Groups (SCIM 2.0)." },
  scimServicePrincipals: { name: "SCIM service principals", description: "Service principals (SCIM 2.0)." },
  secrets: { name: "Secrets", description: "Secret scopes, secrets and scope ACLs (READ < WRITE < MANAGE)." },
  registry: { name: "Model registry", description: "MLflow registered models, versions and aliases (D1)." },
  artifacts: {
    name: "Model artifacts",
    description: "MLflow's artifact proxy over R2, with multipart upload for large files.",
  },
  query: { name: "Query", description: "Scoring: the MLflow protocol and the OpenAI-compatible routes." },
  deadLetters: {
    name: "Dead letters",
    description:
      "Queue messages that failed every retry (usage, payload logs, deployments), kept in R2: list, replay, delete.",
  },
  modelServers: {
    name: "Model servers",
    description:
      "MLflow scoring and Open Inference Protocol v2 servers that " +
      "registry models the inference worker cannot run are placed on.",
  },
  docs: { name: "API docs", description: "This document." },
} as const;
type Tag = (typeof TAGS)[keyof typeof TAGS]["name"];

/** A non-JSON 200 answer (e.g. the OpenAPI document). */
export interface RawResponse {
  contentType: string;
  description: string;
}

/** One public route of the gateway, as the OpenAPI document describes it. */
export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI template, e.g. `/api/2.0/serving-endpoints/{name}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: Tag;
  /** Who may call it; rendered into the description. */
  permission: string;
  description?: string;
  requestBody?: z.ZodType;
  query?: z.ZodObject;
  /** The 200 body: a JSON schema, or a raw content type. */
  response: z.ZodType | RawResponse;
  /** Error statuses beyond the ones derived from the route's shape (see document.ts). */
  errors?: number[];
  /** The success status when it is not 200 (201 Created, 204 No Content). */
  status?: 201 | 204;
  /** Answers without a bearer token. */
  public?: boolean;
  deprecated?: boolean;
  /** The route also streams Server-Sent Events when the body has `stream: true`. */
  streams?: boolean;
}

export const ANY_PRINCIPAL = "Any authenticated principal.";
const ADMIN = "Workspace admin (member of the `admins` group).";
const level = (l: string, what = "the endpoint") => `${l} on ${what} (admins have every level).`;

const EP = "/api/2.0/serving-endpoints/{name}";
const endpointRoutes: RouteSpec[] = [
  {
    method: "post",
    path: "/api/2.0/serving-endpoints",
    operationId: "createServingEndpoint",
    summary: "Create a serving endpoint",
    tag: TAGS.endpoints.name,
    permission: `${ANY_PRINCIPAL} The creator gets CAN_MANAGE on the new endpoint.`,
    requestBody: S.CreateServingEndpointRequest,
    response: S.ServingEndpointDetailed,
    errors: [409],
  },
  {
    method: "post",
    path: "/api/2.0/serving-endpoints/",
    operationId: "createServingEndpointTrailingSlash",
    summary: "Create a serving endpoint (trailing-slash form)",
    tag: TAGS.endpoints.name,
    permission: `${ANY_PRINCIPAL} The creator gets CAN_MANAGE on the new endpoint.`,
    description: "The same call as without the slash; the MLflow Deployments client sends this form.",
    requestBody: S.CreateServingEndpointRequest,
    response: S.ServingEndpointDetailed,
    errors: [409],
  },
  {
    method: "get",
    path: "/api/2.0/serving-endpoints",
    operationId: "listServingEndpoints",
    summary: "List serving endpoints",
    tag: TAGS.endpoints.name,
    permission: `${ANY_PRINCIPAL} Lists the endpoints the caller has CAN_VIEW or more on.`,
    description:
      "Without `page_size` (as Databricks' clients call it) the whole " +
      "list, not paginated. With `page_size`, one page in name order and a " +
      "`next_page_token` when more follow; `search` narrows either form.",
    query: listServingEndpointsQuery,
    response: S.ListServingEndpointsResponse,
  },
  {
    method: "get",
    path: "/api/2.0/serving-endpoints/",
    operationId: "listServingEndpointsTrailingSlash",
    summary: "List serving endpoints (trailing-slash form)",
    tag: TAGS.endpoints.name,
    permission: `${ANY_PRINCIPAL} Lists the endpoints the caller has CAN_VIEW or more on.`,
    description: "The same call as without the slash; the MLflow Deployments client sends this form.",
    query: listServingEndpointsQuery,
    response: S.ListServingEndpointsResponse,
  },
  {
    method: "get",
    path: "/api/2.0/serving-endpoints/get-model-optimization-info/{name}/{version}",
    operationId: "getModelOptimizationInfo",
    summary: "Whether a model can be served with provisioned throughput, and its chunk size",
    tag: TAGS.endpoints.name,
    permission: ANY_PRINCIPAL,
    description:
      "`name` is a Foundation Model API model as `system.ai.<model>` (docs/foundation-models.md); " +
      "an unknown model or version is a 404 RESOURCE_DOES_NOT_EXIST.",
    response: S.ModelOptimizationInfo,
    errors: [404],
  },
  {
    method: "get",
    path: EP,
    operationId: "getServingEndpoint",
    summary: "Get a serving endpoint",
    tag: TAGS.endpoints.name,
    permission: level("CAN_VIEW"),
    response: S.ServingEndpointDetailed,
  },
  {
    method: "delete",
    path: EP,
    operationId: "deleteServingEndpoint",
    summary: "Delete a serving endpoint",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    response: S.Empty,
  },
  {
    method: "put",
    path: `${EP}/config`,
    operationId: "updateServingEndpointConfig",
    summary: "Update the served entities and traffic",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    description:
      "Starts a config update; `pending_config` holds the new config " +
      "until it is deployed. Rejected while another update is in progress.",
    requestBody: S.EndpointCoreConfigInput,
    response: S.ServingEndpointDetailed,
    errors: [409],
  },
  {
    method: "put",
    path: `${EP}/ai-gateway`,
    operationId: "putServingEndpointAiGateway",
    summary: "Replace the AI Gateway config",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    requestBody: S.PutAiGatewayRequest,
    response: S.AiGateway,
  },
  {
    method: "put",
    path: `${EP}/rate-limits`,
    operationId: "putServingEndpointRateLimits",
    summary: "Replace the legacy rate limits",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    deprecated: true,
    description: "Deprecated by Databricks in favour of `ai_gateway.rate_limits`.",
    requestBody: S.PutRateLimitsRequest,
    response: S.PutRateLimitsResponse,
  },
  {
    method: "patch",
    path: `${EP}/tags`,
    operationId: "patchServingEndpointTags",
    summary: "Add and delete tags",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    requestBody: S.PatchTagsRequest,
    response: S.PatchTagsResponse,
  },
  {
    method: "patch",
    path: `${EP}/notifications`,
    operationId: "patchServingEndpointNotifications",
    summary: "Update the e-mail notifications",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    description: "Edgeserve sends no e-mail: the addresses are stored and shown by GET, and have no other effect.",
    requestBody: S.PatchNotificationsRequest,
    response: S.PatchNotificationsResponse,
  },
  {
    method: "patch",
    path: `${EP}/telemetry-config`,
    operationId: "patchServingEndpointTelemetryConfig",
    summary: "Update the telemetry config",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    description:
      "Telemetry export to Unity Catalog is not supported on Edgeserve: only an empty `telemetry_config` is accepted.",
    requestBody: S.PatchTelemetryConfigRequest,
    response: S.ServingEndpointDetailed,
    errors: [409],
  },
  {
    method: "get",
    path: `${EP}/openapi`,
    operationId: "getServingEndpointOpenApi",
    summary: "Get the endpoint's query schema (OpenAPI)",
    tag: TAGS.endpoints.name,
    permission: level("CAN_VIEW"),
    description:
      "An OpenAPI 3.1 document describing the endpoint's invocation routes and the request/response of its task.",
    response: S.OpenApiDocument,
  },
  {
    method: "get",
    path: `${EP}/served-models/{served_model_name}/logs`,
    operationId: "getServedModelLogs",
    summary: "Get a served entity's service logs",
    tag: TAGS.endpoints.name,
    permission: level("CAN_VIEW"),
    response: S.LogsResponse,
  },
  {
    method: "get",
    path: `${EP}/served-models/{served_model_name}/build-logs`,
    operationId: "getServedModelBuildLogs",
    summary: "Get a served entity's build logs",
    tag: TAGS.endpoints.name,
    permission: level("CAN_VIEW"),
    response: S.LogsResponse,
  },
  {
    method: "get",
    path: `${EP}/metrics`,
    operationId: "exportServingEndpointMetrics",
    summary: "Export the endpoint's metrics (Prometheus)",
    tag: TAGS.endpoints.name,
    permission: level("CAN_VIEW"),
    description:
      "Prometheus text format: `edgeserve_requests_total{served_entity,status_code}`, " +
      "the `edgeserve_request_latency_ms` histogram and `edgeserve_tokens_total{served_entity,direction}`, " +
      "totals over every recorded query whichever isolate served it.",
    response: { contentType: "text/plain", description: "Prometheus text exposition format, version 0.0.4." },
  },
  {
    method: "get",
    path: `${EP}/usage`,
    operationId: "getServingEndpointUsage",
    summary: "Get the endpoint's tracked usage",
    tag: TAGS.endpoints.name,
    permission: level("CAN_VIEW"),
    description:
      "Requests, tokens and estimated counts of provider calls made " +
      "while `ai_gateway.usage_tracking_config.enabled` was on, in " +
      "[start_time, end_time), grouped by user, served entity or UTC day.",
    query: usageQuery,
    response: S.UsageResponse,
  },
  {
    method: "get",
    path: `${EP}/usage/records`,
    operationId: "listServingEndpointUsageRecords",
    summary: "List the endpoint's tracked calls one by one (Edgeserve extension)",
    tag: TAGS.endpoints.name,
    permission: level("CAN_VIEW"),
    description:
      "One record per provider call made while `ai_gateway.usage_tracking_config.enabled` was on, " +
      "in [start_time, end_time) " +
      "(default: the last 30 days), oldest first, with the columns of Databricks' `system.serving.endpoint_usage` " +
      "(requester, status_code, token counts, client_request_id, usage_context…). CAN_MANAGE sees every caller's " +
      "records; CAN_VIEW and CAN_QUERY see only their own. Only the endpoint that holds the name now: an earlier " +
      "endpoint of the same name (deleted) shows nothing. Records arrive through a queue, usually within seconds, " +
      "and are kept for the usage retention. Page with `next_page_token`.",
    query: listUsageRecordsQuery,
    response: S.ListUsageRecordsResponse,
  },
  {
    method: "get",
    path: `${EP}/metrics/series`,
    operationId: "getServingEndpointMetricsSeries",
    summary: "Get the endpoint's metrics over time",
    tag: TAGS.endpoints.name,
    permission: level("CAN_VIEW"),
    description:
      "Requests, errors, latency percentiles and tokens per time bucket " +
      "of [start_time, end_time) (what the console's charts draw). Read " +
      "from the raw rows, so only the usage retention's window has data.",
    query: metricsSeriesQuery,
    response: S.MetricsSeriesResponse,
  },
  {
    method: "get",
    path: `${EP}/config-versions`,
    operationId: "listServingEndpointConfigVersions",
    summary: "List the endpoint's earlier configs (Edgeserve extension)",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    description:
      "Every config the endpoint has served (kept when its deployment made it active), newest first, as GET shows " +
      "`config`: credentials only as `{{secrets/…}}` references. Roll back by sending one to PUT …/config, which " +
      "deploys it as a new `config_version`. Deleting the endpoint deletes its history. Page with `next_page_token`.",
    query: listConfigVersionsQuery,
    response: S.ListConfigVersionsResponse,
  },
  {
    method: "get",
    path: `${EP}/config-versions/{config_version}`,
    operationId: "getServingEndpointConfigVersion",
    summary: "Get one of the endpoint's earlier configs (Edgeserve extension)",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    description: "The config the endpoint served as `config_version`; 404 if it never served that version.",
    response: S.ConfigVersionEntry,
  },
  {
    method: "get",
    path: `${EP}/payload-logs`,
    operationId: "listServingEndpointPayloadLogs",
    summary: "Read the payload logs (inference table)",
    tag: TAGS.endpoints.name,
    permission: level("CAN_MANAGE"),
    query: listPayloadLogsQuery,
    response: S.ListPayloadLogsResponse,
    description:
      "Requests and responses logged while `ai_gateway.inference_table_config.enabled` " +
      "(or the legacy `auto_capture_config.enabled`) is true, " +
      "with `start_time <= timestamp_ms < end_time` (epoch ms; " +
      "`end_time` defaults to now; at most 31 days), oldest first. " +
      "Records reach the log through a queue, usually within seconds. Page with `next_page_token`. " +
      "Edgeserve extension: `request_id`, `status` and `text` search the records server-side; a search opens at most " +
      "50 stored objects per call, so a page may hold fewer matches than `max_results` (even none) while " +
      "`next_page_token` is present: keep paging until it is absent.",
  },
];

const PERM = "/api/2.0/permissions/serving-endpoints/{serving_endpoint_id}";
const permissionRoutes: RouteSpec[] = [
  {
    method: "get",
    path: PERM,
    operationId: "getServingEndpointPermissions",
    summary: "Get an endpoint's permissions",
    tag: TAGS.permissions.name,
    permission: level("CAN_VIEW"),
    response: S.PermissionsResponse,
  },
  {
    method: "put",
    path: PERM,
    operationId: "setServingEndpointPermissions",
    summary: "Replace an endpoint's permissions",
    tag: TAGS.permissions.name,
    permission: level("CAN_MANAGE"),
    description: "Replaces every direct grant with `access_control_list`.",
    requestBody: S.SetPermissionsRequest,
    response: S.PermissionsResponse,
  },
  {
    method: "patch",
    path: PERM,
    operationId: "updateServingEndpointPermissions",
    summary: "Add grants to an endpoint's permissions",
    tag: TAGS.permissions.name,
    permission: level("CAN_MANAGE"),
    description: "Merges `access_control_list` into the existing grants.",
    requestBody: S.SetPermissionsRequest,
    response: S.PermissionsResponse,
  },
  {
    method: "get",
    path: `${PERM}/permissionLevels`,
    operationId: "getServingEndpointPermissionLevels",
    summary: "List the permission levels",
    tag: TAGS.permissions.name,
    permission: level("CAN_VIEW"),
    response: S.PermissionLevelsResponse,
  },
];

const tokenRoutes: RouteSpec[] = [
  {
    method: "post",
    path: "/api/2.0/token/create",
    operationId: "createToken",
    summary: "Create a personal access token",
    tag: TAGS.tokens.name,
    permission: `${ANY_PRINCIPAL} The token acts as the caller.`,
    description: "`token_value` is returned once and never again.",
    requestBody: S.CreateTokenRequest,
    response: S.CreateTokenResponse,
  },
  {
    method: "get",
    path: "/api/2.0/token/list",
    operationId: "listTokens",
    summary: "List the caller's tokens",
    tag: TAGS.tokens.name,
    permission: ANY_PRINCIPAL,
    response: S.ListTokensResponse,
  },
  {
    method: "post",
    path: "/api/2.0/token/delete",
    operationId: "revokeToken",
    summary: "Revoke one of the caller's tokens",
    tag: TAGS.tokens.name,
    permission: `${ANY_PRINCIPAL} Only the caller's own tokens.`,
    requestBody: S.RevokeTokenRequest,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "post",
    path: "/api/2.0/token-management/on-behalf-of/tokens",
    operationId: "createOboToken",
    summary: "Create a token on behalf of a service principal",
    tag: TAGS.tokenManagement.name,
    permission: ADMIN,
    requestBody: S.CreateOboTokenRequest,
    response: S.CreateOboTokenResponse,
    errors: [404],
  },
  {
    method: "get",
    path: "/api/2.0/token-management/tokens",
    operationId: "listManagedTokens",
    summary: "List all tokens of the workspace",
    tag: TAGS.tokenManagement.name,
    permission: ADMIN,
    query: listTokensQuery,
    response: S.ListManagedTokensResponse,
  },
  {
    method: "get",
    path: "/api/2.0/token-management/tokens/{token_id}",
    operationId: "getManagedToken",
    summary: "Get any token's info",
    tag: TAGS.tokenManagement.name,
    permission: ADMIN,
    response: S.GetManagedTokenResponse,
  },
  {
    method: "delete",
    path: "/api/2.0/token-management/tokens/{token_id}",
    operationId: "deleteManagedToken",
    summary: "Revoke any token",
    tag: TAGS.tokenManagement.name,
    permission: ADMIN,
    response: S.Empty,
  },
];

function scimResource(
  plural: "Users" | "Groups" | "ServicePrincipals",
  singular: string,
  tag: Tag,
  request: z.ZodType,
  resource: z.ZodType,
  list: z.ZodType,
): RouteSpec[] {
  const base = `/api/2.0/preview/scim/v2/${plural}`;
  const op = plural.replace(/s$/, "");
  return [
    {
      method: "get",
      path: base,
      operationId: `list${plural}`,
      summary: `List ${singular}s`,
      tag,
      permission: ANY_PRINCIPAL,
      query: scimListQuery,
      response: list,
    },
    {
      method: "post",
      path: base,
      operationId: `create${op}`,
      summary: `Create a ${singular}`,
      tag,
      permission: ADMIN,
      requestBody: request,
      response: resource,
      status: 201,
      errors: [409],
    },
    {
      method: "get",
      path: `${base}/{id}`,
      operationId: `get${op}`,
      summary: `Get a ${singular}`,
      tag,
      permission: ANY_PRINCIPAL,
      response: resource,
    },
    {
      method: "put",
      path: `${base}/{id}`,
      operationId: `replace${op}`,
      summary: `Replace a ${singular}`,
      tag,
      permission: ADMIN,
      requestBody: request,
      response: resource,
    },
    {
      method: "patch",
      path: `${base}/{id}`,
      operationId: `patch${op}`,
      summary: `Patch a ${singular} (SCIM PatchOp)`,
      tag,
      permission: ADMIN,
      requestBody: S.ScimPatchRequest,
      response: resource,
    },
    {
      method: "delete",
      path: `${base}/{id}`,
      operationId: `delete${op}`,
      summary: `Delete a ${singular}`,
      tag,
      permission: ADMIN,
      response: S.Empty,
      status: 204,
    },
  ];
}

const scimRoutes: RouteSpec[] = [
  ...scimResource("Users", "user", TAGS.scimUsers.name, S.ScimUserRequest, S.ScimUser, S.ScimUserList),
  ...scimResource("Groups", "group", TAGS.scimGroups.name, S.ScimGroupRequest, S.ScimGroup, S.ScimGroupList),
  ...scimResource(
    "ServicePrincipals",
    "service principal",
    TAGS.scimServicePrincipals.name,
    S.ScimServicePrincipalRequest,
    S.ScimServicePrincipal,
    S.ScimServicePrincipalList,
  ),
  {
    method: "get",
    path: "/api/2.0/preview/scim/v2/Me",
    operationId: "getCurrentUser",
    summary: "Get the caller",
    tag: TAGS.scimUsers.name,
    permission: ANY_PRINCIPAL,
    response: S.ScimUser,
  },
];

const SECRETS = "/api/2.0/secrets";
const scopeAcl = (p: string) => `${p} on the scope (admins manage every scope).`;
const secretRoutes: RouteSpec[] = [
  {
    method: "post",
    path: `${SECRETS}/scopes/create`,
    operationId: "createSecretScope",
    summary: "Create a secret scope",
    tag: TAGS.secrets.name,
    permission: `${ANY_PRINCIPAL} The creator gets MANAGE on the scope.`,
    requestBody: S.CreateScopeRequest,
    response: S.Empty,
    errors: [409],
  },
  {
    method: "post",
    path: `${SECRETS}/scopes/delete`,
    operationId: "deleteSecretScope",
    summary: "Delete a secret scope",
    tag: TAGS.secrets.name,
    permission: scopeAcl("MANAGE"),
    requestBody: S.DeleteScopeRequest,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "get",
    path: `${SECRETS}/scopes/list`,
    operationId: "listSecretScopes",
    summary: "List secret scopes",
    tag: TAGS.secrets.name,
    permission: ANY_PRINCIPAL,
    response: S.ListScopesResponse,
  },
  {
    method: "post",
    path: `${SECRETS}/put`,
    operationId: "putSecret",
    summary: "Create or overwrite a secret",
    tag: TAGS.secrets.name,
    permission: scopeAcl("WRITE"),
    description: "Exactly one of `string_value` or `bytes_value` (base64).",
    requestBody: S.PutSecretRequest,
    response: S.Empty,
    errors: [404, 413],
  },
  {
    method: "post",
    path: `${SECRETS}/delete`,
    operationId: "deleteSecret",
    summary: "Delete a secret",
    tag: TAGS.secrets.name,
    permission: scopeAcl("WRITE"),
    requestBody: S.DeleteSecretRequest,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "get",
    path: `${SECRETS}/list`,
    operationId: "listSecrets",
    summary: "List the secrets of a scope (keys only)",
    tag: TAGS.secrets.name,
    permission: scopeAcl("READ"),
    query: listSecretsQuery,
    response: S.ListSecretsResponse,
    errors: [404],
  },
  {
    method: "get",
    path: `${SECRETS}/get`,
    operationId: "getSecret",
    summary: "Read a secret's value (disabled)",
    tag: TAGS.secrets.name,
    permission: "None can: Edgeserve never returns secret values.",
    description:
      "Databricks serves values here to notebooks; Edgeserve " +
      "answers 403 PERMISSION_DENIED after validating the query, " +
      "since values are only resolved inside the gateway when an endpoint needs them. The 200 shape is Databricks'.",
    query: getSecretQuery,
    response: S.GetSecretResponse,
  },
  {
    method: "post",
    path: `${SECRETS}/acls/put`,
    operationId: "putSecretAcl",
    summary: "Grant a principal a permission on a scope",
    tag: TAGS.secrets.name,
    permission: scopeAcl("MANAGE"),
    requestBody: S.PutAclRequest,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "post",
    path: `${SECRETS}/acls/delete`,
    operationId: "deleteSecretAcl",
    summary: "Remove a principal's permission on a scope",
    tag: TAGS.secrets.name,
    permission: scopeAcl("MANAGE"),
    requestBody: S.DeleteAclRequest,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "get",
    path: `${SECRETS}/acls/get`,
    operationId: "getSecretAcl",
    summary: "Get a principal's permission on a scope",
    tag: TAGS.secrets.name,
    permission: scopeAcl("READ"),
    query: getAclQuery,
    response: S.AclItem,
    errors: [404],
  },
  {
    method: "get",
    path: `${SECRETS}/acls/list`,
    operationId: "listSecretAcls",
    summary: "List a scope's ACLs",
    tag: TAGS.secrets.name,
    permission: scopeAcl("READ"),
    query: listAclsQuery,
    response: S.ListAclsResponse,
    errors: [404],
  },
  {
    method: "post",
    path: "/api/2.0/edgeserve/master-key/re-encrypt",
    operationId: "reEncryptSecrets",
    summary: "Re-encrypt stored secrets under the current master key (rotation)",
    tag: TAGS.secrets.name,
    permission: ADMIN,
    description:
      "Edgeserve extension. After setting the new key as `EDGESERVE_MASTER_KEY` and the old one as " +
      "`EDGESERVE_MASTER_KEY_PREVIOUS`, call this until it " +
      "returns no `next_page_token`; then remove the previous key. " +
      "Values are never returned; a value changed meanwhile by secrets/put is left to that write.",
    requestBody: S.ReEncryptSecretsRequest,
    response: S.ReEncryptSecretsResponse,
  },
];

const RM = "/api/2.0/mlflow/registered-models";
const MV = "/api/2.0/mlflow/model-versions";
const MA = "/api/2.0/mlflow-artifacts";
const MODEL_OWNER = "The registered model's creator, or an admin.";
const ANY_WRITER = `${ANY_PRINCIPAL} Under models/<name>/ of an existing registered model: its creator or an admin.`;
const UPLOAD_OWNER = "The caller who started the upload, or an admin.";
const registryRoutes: RouteSpec[] = [
  {
    method: "post",
    path: `${RM}/create`,
    operationId: "createRegisteredModel",
    summary: "Create a registered model",
    tag: TAGS.registry.name,
    permission: `${ANY_PRINCIPAL} The creator may change the model later.`,
    description: "Names may be Unity-Catalog style (`catalog.schema.model`).",
    requestBody: S.CreateRegisteredModelRequest,
    response: S.RegisteredModelResponse,
    errors: [409],
  },
  {
    method: "get",
    path: `${RM}/get`,
    operationId: "getRegisteredModel",
    summary: "Get a registered model",
    tag: TAGS.registry.name,
    permission: ANY_PRINCIPAL,
    query: getRegisteredModelQuery,
    response: S.RegisteredModelResponse,
    errors: [404],
  },
  {
    method: "get",
    path: `${RM}/search`,
    operationId: "searchRegisteredModels",
    summary: "Search registered models",
    tag: TAGS.registry.name,
    permission: ANY_PRINCIPAL,
    description:
      "`filter`: `name = | != | LIKE | ILIKE '<value>'` clauses joined by " +
      "AND. `order_by`: name, timestamp, last_updated_timestamp (ASC/DESC).",
    query: searchRequest,
    response: S.SearchRegisteredModelsResponse,
  },
  {
    method: "post",
    path: `${RM}/rename`,
    operationId: "renameRegisteredModel",
    summary: "Rename a registered model",
    tag: TAGS.registry.name,
    permission: MODEL_OWNER,
    requestBody: S.RenameRegisteredModelRequest,
    response: S.RegisteredModelResponse,
    errors: [404, 409],
  },
  {
    method: "patch",
    path: `${RM}/update`,
    operationId: "updateRegisteredModel",
    summary: "Update a registered model's description",
    tag: TAGS.registry.name,
    permission: MODEL_OWNER,
    requestBody: S.UpdateRegisteredModelRequest,
    response: S.RegisteredModelResponse,
    errors: [404],
  },
  {
    method: "delete",
    path: `${RM}/delete`,
    operationId: "deleteRegisteredModel",
    summary: "Delete a registered model and its versions",
    tag: TAGS.registry.name,
    permission: MODEL_OWNER,
    description: "`name` in the JSON body or the query string. Files stay in R2.",
    requestBody: S.DeleteRegisteredModelRequest,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "post",
    path: `${RM}/get-latest-versions`,
    operationId: "getLatestModelVersions",
    summary: "Latest version (stages are not supported: `None` only)",
    tag: TAGS.registry.name,
    permission: ANY_PRINCIPAL,
    requestBody: S.GetLatestVersionsRequest,
    response: S.ModelVersionsResponse,
    errors: [404],
  },
  {
    method: "post",
    path: `${RM}/alias`,
    operationId: "setRegisteredModelAlias",
    summary: "Point an alias (e.g. champion) at a version",
    tag: TAGS.registry.name,
    permission: MODEL_OWNER,
    requestBody: S.SetModelAliasRequest,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "delete",
    path: `${RM}/alias`,
    operationId: "deleteRegisteredModelAlias",
    summary: "Delete an alias",
    tag: TAGS.registry.name,
    permission: MODEL_OWNER,
    description: "`name` and `alias` in the query string or the JSON body.",
    requestBody: S.ModelAliasRef,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "get",
    path: `${RM}/alias`,
    operationId: "getModelVersionByAlias",
    summary: "The version an alias points at",
    tag: TAGS.registry.name,
    permission: ANY_PRINCIPAL,
    query: aliasRef,
    response: S.ModelVersionResponse,
    errors: [404],
  },
  {
    method: "post",
    path: `${MV}/create`,
    operationId: "createModelVersion",
    summary: "Register a new version",
    tag: TAGS.registry.name,
    permission: MODEL_OWNER,
    description:
      "`source`: `mlflow-artifacts:/<path>` (uploaded through the artifact " +
      "proxy) or `models:/<name>/<version>` / `models:/<name>@<alias>`.",
    requestBody: S.CreateModelVersionRequest,
    response: S.ModelVersionResponse,
    errors: [404],
  },
  {
    method: "get",
    path: `${MV}/get`,
    operationId: "getModelVersion",
    summary: "Get a model version",
    tag: TAGS.registry.name,
    permission: ANY_PRINCIPAL,
    query: modelVersionRef,
    response: S.ModelVersionResponse,
    errors: [404],
  },
  {
    method: "get",
    path: `${MV}/get-download-uri`,
    operationId: "getModelVersionDownloadUri",
    summary: "Where a version's files are",
    tag: TAGS.registry.name,
    permission: ANY_PRINCIPAL,
    query: modelVersionRef,
    response: S.DownloadUriResponse,
    errors: [404],
  },
  {
    method: "get",
    path: `${MV}/search`,
    operationId: "searchModelVersions",
    summary: "Search model versions",
    tag: TAGS.registry.name,
    permission: ANY_PRINCIPAL,
    description: "`filter`: name (=, !=, LIKE, ILIKE), run_id (=, !=, IN), source_path (=, LIKE), joined by AND.",
    query: searchRequest,
    response: S.SearchModelVersionsResponse,
  },
  {
    method: "patch",
    path: `${MV}/update`,
    operationId: "updateModelVersion",
    summary: "Update a version's description",
    tag: TAGS.registry.name,
    permission: MODEL_OWNER,
    requestBody: S.UpdateModelVersionRequest,
    response: S.ModelVersionResponse,
    errors: [404],
  },
  {
    method: "delete",
    path: `${MV}/delete`,
    operationId: "deleteModelVersion",
    summary: "Delete a version and its aliases",
    tag: TAGS.registry.name,
    permission: MODEL_OWNER,
    description: "`name` and `version` in the query string or the JSON body. Numbers are never reused.",
    requestBody: S.ModelVersionRef,
    response: S.Empty,
    errors: [404],
  },
  {
    method: "get",
    path: `${MA}/artifacts`,
    operationId: "listArtifacts",
    summary: "List a directory's files",
    tag: TAGS.artifacts.name,
    permission: ANY_PRINCIPAL,
    query: listArtifactsQuery,
    response: S.ListArtifactsResponse,
  },
  {
    method: "get",
    path: `${MA}/artifacts/{artifact_path}`,
    operationId: "downloadArtifact",
    summary: "Download a file",
    tag: TAGS.artifacts.name,
    permission: ANY_PRINCIPAL,
    response: { contentType: "application/octet-stream", description: "The file." },
    errors: [404],
  },
  {
    method: "put",
    path: `${MA}/artifacts/{artifact_path}`,
    operationId: "uploadArtifact",
    summary: "Upload a file (below 100 MB; use multipart above)",
    tag: TAGS.artifacts.name,
    permission: ANY_WRITER,
    description: "The raw bytes as the body, with Content-Length.",
    response: S.Empty,
    errors: [403],
  },
  {
    method: "delete",
    path: `${MA}/artifacts/{artifact_path}`,
    operationId: "deleteArtifact",
    summary: "Delete a file or a directory",
    tag: TAGS.artifacts.name,
    permission: ANY_WRITER,
    response: S.Empty,
    errors: [403, 404],
  },
  {
    method: "post",
    path: `${MA}/mpu/create/{artifact_path}`,
    operationId: "createMultipartUpload",
    summary: "Start a multipart upload",
    tag: TAGS.artifacts.name,
    permission: ANY_WRITER,
    description:
      "Answers one part URL per part (PUT each part, with the bearer token, to its " +
      "URL). Parts: at least 5 MiB but the last, all the same size, below 100 MB.",
    requestBody: S.CreateMultipartUploadRequest,
    response: S.CreateMultipartUploadResponse,
    errors: [403],
  },
  {
    method: "put",
    path: `${MA}/mpu/upload-part/{artifact_path}`,
    operationId: "uploadPart",
    summary: "Upload one part (streamed into R2)",
    tag: TAGS.artifacts.name,
    permission: UPLOAD_OWNER,
    description: "The part's bytes, with Content-Length; answers its ETag (header and body).",
    query: uploadPartQuery,
    response: S.Empty,
    errors: [403, 404],
  },
  {
    method: "post",
    path: `${MA}/mpu/complete/{artifact_path}`,
    operationId: "completeMultipartUpload",
    summary: "Complete a multipart upload",
    tag: TAGS.artifacts.name,
    permission: UPLOAD_OWNER,
    requestBody: S.CompleteMultipartUploadRequest,
    response: S.Empty,
    errors: [403, 404],
  },
  {
    method: "post",
    path: `${MA}/mpu/abort/{artifact_path}`,
    operationId: "abortMultipartUpload",
    summary: "Abort a multipart upload",
    tag: TAGS.artifacts.name,
    permission: UPLOAD_OWNER,
    requestBody: S.AbortMultipartUploadRequest,
    response: S.Empty,
    errors: [403, 404],
  },
];

const QUERY_ERRORS = [404, 413, 429, 502, 503, 504];
const QUERY_PERMISSION = level("CAN_QUERY");
const queryRoutes: RouteSpec[] = [
  {
    method: "post",
    path: "/serving-endpoints/{name}/invocations",
    operationId: "queryServingEndpoint",
    summary: "Query an endpoint",
    tag: TAGS.query.name,
    permission: QUERY_PERMISSION,
    description:
      "The body depends on the endpoint's task: the MLflow scoring " +
      "protocol for custom models, or the OpenAI-style chat, " +
      "completions or embeddings body for LLM endpoints (see GET " +
      "/api/2.0/serving-endpoints/{name}/openapi for one endpoint's exact schema). " +
      "The answer carries the `served-model-name` header.",
    requestBody: S.InvocationRequest,
    response: S.InvocationResponse,
    errors: QUERY_ERRORS,
    streams: true,
  },
  {
    method: "post",
    path: "/serving-endpoints/{name}/served-models/{entity}/invocations",
    operationId: "queryServedEntity",
    summary: "Query one served entity of an endpoint",
    tag: TAGS.query.name,
    permission: QUERY_PERMISSION,
    description: "Bypasses the traffic split; the body is as for /serving-endpoints/{name}/invocations.",
    requestBody: S.InvocationRequest,
    response: S.InvocationResponse,
    errors: QUERY_ERRORS,
    streams: true,
  },
  {
    method: "post",
    path: "/serving-endpoints/chat/completions",
    operationId: "createChatCompletion",
    summary: "Chat completion (OpenAI-compatible)",
    tag: TAGS.query.name,
    permission: QUERY_PERMISSION.replace("the endpoint", "the endpoint named by `model`"),
    description: "`model` is the endpoint name; the endpoint's task must be llm/v1/chat.",
    requestBody: S.ChatRequest,
    response: S.ChatResponse,
    errors: QUERY_ERRORS,
    streams: true,
  },
  {
    method: "post",
    path: "/serving-endpoints/completions",
    operationId: "createCompletion",
    summary: "Text completion (OpenAI-compatible)",
    tag: TAGS.query.name,
    permission: QUERY_PERMISSION.replace("the endpoint", "the endpoint named by `model`"),
    description: "`model` is the endpoint name; the endpoint's task must be llm/v1/completions.",
    requestBody: S.CompletionsRequest,
    response: S.CompletionsResponse,
    errors: QUERY_ERRORS,
    streams: true,
  },
  {
    method: "post",
    path: "/serving-endpoints/embeddings",
    operationId: "createEmbeddings",
    summary: "Embeddings (OpenAI-compatible)",
    tag: TAGS.query.name,
    permission: QUERY_PERMISSION.replace("the endpoint", "the endpoint named by `model`"),
    description: "`model` is the endpoint name; the endpoint's task must be llm/v1/embeddings.",
    requestBody: S.EmbeddingsRequest,
    response: S.EmbeddingsResponse,
    errors: QUERY_ERRORS,
  },
];

const DL = "/api/2.0/edgeserve/dead-letters";
const deadLetterRoutes: RouteSpec[] = [
  {
    method: "get",
    path: DL,
    operationId: "listDeadLetters",
    summary: "List dead-lettered queue messages",
    tag: TAGS.deadLetters.name,
    permission: ADMIN,
    query: listDeadLettersQuery,
    response: S.ListDeadLettersResponse,
    description:
      "Messages that failed every delivery on `edgeserve-usage`, `edgeserve-payload-logs` " +
      "or `edgeserve-deployments` and were kept by the dead-letter " +
      "consumer, in id order, without their bodies. Page with `next_page_token`.",
  },
  {
    method: "post",
    path: `${DL}/replay`,
    operationId: "replayDeadLetters",
    summary: "Replay dead letters",
    tag: TAGS.deadLetters.name,
    permission: ADMIN,
    requestBody: S.ReplayDeadLettersRequest,
    response: S.ReplayDeadLettersResponse,
    description:
      `Sends up to ${MAX_DEAD_LETTERS_PER_REPLAY} dead letters (of \`queue\`, or of every ` +
      `queue) back to their queue; each is removed once its send succeeded. Call again while ` +
      `\`has_more\` is true. The consumers are idempotent, so a replay never counts a record ` +
      `twice; a deployment is re-run only if its config version is still the one being deployed.`,
  },
  {
    method: "post",
    path: `${DL}/{queue}/{dead_letter_id}/replay`,
    operationId: "replayDeadLetter",
    summary: "Replay one dead letter",
    tag: TAGS.deadLetters.name,
    permission: ADMIN,
    response: S.ReplayDeadLettersResponse,
    errors: [404, 503],
    description: "Sends it back to its queue, then removes it. If the send fails it is kept (503).",
  },
  {
    method: "delete",
    path: `${DL}/{queue}/{dead_letter_id}`,
    operationId: "deleteDeadLetter",
    summary: "Delete a dead letter",
    tag: TAGS.deadLetters.name,
    permission: ADMIN,
    response: S.Empty,
    errors: [404],
    description: "Discards it for good (its records are not written).",
  },
];

const MSV = "/api/2.0/edgeserve/model-servers";
const modelServerRoutes: RouteSpec[] = [
  {
    method: "post",
    path: MSV,
    operationId: "createModelServer",
    summary: "Register a model server",
    tag: TAGS.modelServers.name,
    permission: ADMIN,
    requestBody: S.CreateModelServerRequest,
    response: S.ModelServer,
    errors: [409],
    description:
      "Deployments place registry models on it that the inference worker cannot " +
      "run (no onnx/transformers flavor, too large) or whose `workload_type` " +
      "asks for a GPU, for the workload types it lists (docs/model-servers.md).",
  },
  {
    method: "get",
    path: MSV,
    operationId: "listModelServers",
    summary: "List model servers",
    tag: TAGS.modelServers.name,
    permission: ADMIN,
    response: S.ListModelServersResponse,
  },
  {
    method: "get",
    path: `${MSV}/{server_name}`,
    operationId: "getModelServer",
    summary: "Get a model server",
    tag: TAGS.modelServers.name,
    permission: ADMIN,
    response: S.ModelServer,
    errors: [404],
  },
  {
    method: "delete",
    path: `${MSV}/{server_name}`,
    operationId: "deleteModelServer",
    summary: "Delete a model server",
    tag: TAGS.modelServers.name,
    permission: ADMIN,
    response: S.Empty,
    errors: [404, 409],
    description: "Refused (409) while a live endpoint's config has a model on it.",
  },
];

const docsRoutes: RouteSpec[] = [
  {
    method: "get",
    path: "/api/2.0/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This OpenAPI document",
    tag: TAGS.docs.name,
    permission: "None: answers without a token.",
    public: true,
    response: S.OpenApiDocument,
  },
];

/** Every public route of the gateway. */
export const PUBLIC_ROUTES: readonly RouteSpec[] = [
  ...endpointRoutes,
  ...permissionRoutes,
  ...tokenRoutes,
  ...scimRoutes,
  ...secretRoutes,
  ...registryRoutes,
  ...queryRoutes,
  ...deadLetterRoutes,
  ...modelServerRoutes,
  ...docsRoutes,
];

/** What each path parameter is. */
export const PATH_PARAMETERS: Record<string, string> = {
  name: "The serving endpoint's name.",
  served_model_name: "The served entity's name.",
  config_version: "A `config_version` the endpoint has served.",
  entity: "The served entity's name.",
  serving_endpoint_id: "The serving endpoint's `id` (32 hex characters), not its name.",
  token_id: "The token's id.",
  id: "The resource's SCIM id.",
  queue: "The queue the dead letter failed on: `edgeserve-usage`, `edgeserve-payload-logs` or `edgeserve-deployments`.",
  dead_letter_id: "The dead letter's `id`, as listed.",
  server_name: "The model server's `name`.",
  artifact_path: "A path under the artifact root, e.g. `models/main.default.iris/1/MLmodel` (may contain `/`).",
};
