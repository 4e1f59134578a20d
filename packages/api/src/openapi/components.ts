import { z } from "zod";
import * as registry from "../mlflow-registry";
import { aiGateway, legacyRateLimit, putAiGatewayRequest } from "../ai-gateway";
import { ERROR_STATUS, type ErrorCode } from "../errors";
import { externalModel } from "../external-model";
import { permissionLevel, permissionsResponse, setPermissionsRequest } from "../permissions";
import {
  chatMessage,
  chatRequest,
  chatResponse,
  completionsRequest,
  completionsResponse,
  embeddingsRequest,
  embeddingsResponse,
  usage,
} from "../query";
import {
  aclItem,
  createScopeRequest,
  deleteAclRequest,
  deleteScopeRequest,
  deleteSecretRequest,
  listAclsResponse,
  listScopesResponse,
  listSecretsResponse,
  putAclRequest,
  putSecretRequest,
  reEncryptSecretsRequest,
  reEncryptSecretsResponse,
  secretPermission,
} from "../secrets";
import {
  createServingEndpointRequest,
  emailNotifications,
  endpointCoreConfigInput,
  endpointTag,
  listServingEndpointsResponse,
  logsResponse,
  modelOptimizationInfo,
  patchNotificationsRequest,
  patchTagsRequest,
  patchTelemetryConfigRequest,
  putRateLimitsRequest,
  servedEntityInput,
  servingEndpointDetailed,
  telemetryConfig,
} from "../serving-endpoint";
import {
  createOboTokenRequest,
  createTokenRequest,
  deleteTokenRequest,
  scimGroupRequest,
  scimPatchRequest,
  scimServicePrincipalRequest,
  scimUserRequest,
} from "../identity";
import { usageResponse, usageRow } from "../usage";
import { listUsageRecordsResponse, usageRecord } from "../usage-records";
import { metricsSeriesBucket, metricsSeriesResponse } from "../metrics-series";
import * as identity from "./identity-schemas";
import { listPayloadLogsResponse, payloadLogRecord } from "../payload-logs";
import { configVersionEntry, listConfigVersionsResponse } from "../config-versions";
import {
  deadLetter,
  listDeadLettersResponse,
  replayDeadLettersRequest,
  replayDeadLettersResponse,
} from "../dead-letters";
import { createModelServerRequest, listModelServersResponse, modelServer } from "../model-servers";
import { scoringRequest, scoringResponse } from "./scoring";

/** `{error_code, message, details?}`: the body of every 4xx/5xx answer. */
const errorBody = z
  .object({
    error_code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z
      .array(z.looseObject({ "@type": z.string() }))
      .optional()
      .describe('e.g. `{"@type":"type.googleapis.com/google.rpc.RequestInfo","request_id":"…"}`'),
  })
  .describe("Databricks-style error. The HTTP status follows from error_code.");

/** `{}`: what Databricks answers for calls with nothing to return. */
const emptyObject = z.object({}).describe("An empty JSON object.");

const permissionLevelsResponse = z.object({
  permission_levels: z.array(z.object({ permission_level: permissionLevel, description: z.string() })),
});
const tagsResponse = z.object({ tags: z.array(endpointTag) });
const rateLimitsResponse = z.object({ rate_limits: z.array(legacyRateLimit) });
const notificationsResponse = z.object({ name: z.string(), email_notifications: emailNotifications.optional() });
// TODO(schema): secrets.ts has no response schema for GET /secrets/get yet.
const getSecretResponse = z.object({ key: z.string(), value: z.string().describe("The value, base64-encoded.") });
const openApiDocument = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .describe("An OpenAPI 3.1 document.");

/**
 * Every schema the document names, by component name. Route entries point at these zod values; the
 * builder turns each into `#/components/schemas/<name>` and nested occurrences into `$ref`s.
 */
export const COMPONENT_SCHEMAS = {
  ErrorBody: errorBody,
  Empty: emptyObject,
  // Serving endpoints
  CreateServingEndpointRequest: createServingEndpointRequest,
  ServingEndpointDetailed: servingEndpointDetailed,
  ListServingEndpointsResponse: listServingEndpointsResponse,
  EndpointCoreConfigInput: endpointCoreConfigInput,
  ServedEntityInput: servedEntityInput,
  ExternalModel: externalModel,
  EndpointTag: endpointTag,
  EmailNotifications: emailNotifications,
  TelemetryConfig: telemetryConfig,
  AiGateway: aiGateway,
  PutAiGatewayRequest: putAiGatewayRequest,
  LegacyRateLimit: legacyRateLimit,
  PutRateLimitsRequest: putRateLimitsRequest,
  PutRateLimitsResponse: rateLimitsResponse,
  PatchTagsRequest: patchTagsRequest,
  PatchTagsResponse: tagsResponse,
  PatchNotificationsRequest: patchNotificationsRequest,
  PatchNotificationsResponse: notificationsResponse,
  PatchTelemetryConfigRequest: patchTelemetryConfigRequest,
  LogsResponse: logsResponse,
  ModelOptimizationInfo: modelOptimizationInfo,
  UsageResponse: usageResponse,
  MetricsSeriesBucket: metricsSeriesBucket,
  MetricsSeriesResponse: metricsSeriesResponse,
  UsageRow: usageRow,
  UsageRecord: usageRecord,
  ListUsageRecordsResponse: listUsageRecordsResponse,
  OpenApiDocument: openApiDocument,
  // Permissions
  PermissionLevel: permissionLevel,
  SetPermissionsRequest: setPermissionsRequest,
  PermissionsResponse: permissionsResponse,
  PermissionLevelsResponse: permissionLevelsResponse,
  // Tokens
  CreateTokenRequest: createTokenRequest,
  CreateTokenResponse: identity.createTokenResponse,
  PublicTokenInfo: identity.publicTokenInfo,
  ListTokensResponse: identity.listTokensResponse,
  RevokeTokenRequest: deleteTokenRequest,
  CreateOboTokenRequest: createOboTokenRequest,
  CreateOboTokenResponse: identity.createOboTokenResponse,
  TokenInfo: identity.tokenInfo,
  GetManagedTokenResponse: identity.getManagedTokenResponse,
  ListManagedTokensResponse: identity.listManagedTokensResponse,
  // SCIM
  ScimUserRequest: scimUserRequest,
  ScimUser: identity.scimUser,
  ScimUserList: identity.scimUserList,
  ScimGroupRequest: scimGroupRequest,
  ScimGroup: identity.scimGroup,
  ScimGroupList: identity.scimGroupList,
  ScimServicePrincipalRequest: scimServicePrincipalRequest,
  ScimServicePrincipal: identity.scimServicePrincipal,
  ScimServicePrincipalList: identity.scimServicePrincipalList,
  ScimPatchRequest: scimPatchRequest,
  // Secrets
  CreateScopeRequest: createScopeRequest,
  DeleteScopeRequest: deleteScopeRequest,
  ListScopesResponse: listScopesResponse,
  PutSecretRequest: putSecretRequest,
  DeleteSecretRequest: deleteSecretRequest,
  ListSecretsResponse: listSecretsResponse,
  GetSecretResponse: getSecretResponse,
  SecretPermission: secretPermission,
  PutAclRequest: putAclRequest,
  DeleteAclRequest: deleteAclRequest,
  AclItem: aclItem,
  ListAclsResponse: listAclsResponse,
  ReEncryptSecretsRequest: reEncryptSecretsRequest,
  ReEncryptSecretsResponse: reEncryptSecretsResponse,
  // Payload logs
  PayloadLogRecord: payloadLogRecord,
  ListPayloadLogsResponse: listPayloadLogsResponse,
  ConfigVersionEntry: configVersionEntry,
  ListConfigVersionsResponse: listConfigVersionsResponse,
  // Dead letters
  DeadLetter: deadLetter,
  ListDeadLettersResponse: listDeadLettersResponse,
  ReplayDeadLettersRequest: replayDeadLettersRequest,
  ReplayDeadLettersResponse: replayDeadLettersResponse,
  // Model servers
  CreateModelServerRequest: createModelServerRequest,
  ModelServer: modelServer,
  ListModelServersResponse: listModelServersResponse,
  // Query
  ScoringRequest: scoringRequest,
  ScoringResponse: scoringResponse,
  ChatMessage: chatMessage,
  ChatRequest: chatRequest,
  ChatResponse: chatResponse,
  CompletionsRequest: completionsRequest,
  CompletionsResponse: completionsResponse,
  EmbeddingsRequest: embeddingsRequest,
  EmbeddingsResponse: embeddingsResponse,
  Usage: usage,
  InvocationRequest: z
    .union([scoringRequest, chatRequest, completionsRequest, embeddingsRequest])
    .describe(
      "Depends on the endpoint's task: the MLflow scoring protocol, or a chat, completions or embeddings body.",
    ),
  InvocationResponse: z.union([scoringResponse, chatResponse, completionsResponse, embeddingsResponse]),
  // MLflow model registry and artifacts
  CreateRegisteredModelRequest: registry.createRegisteredModelRequest,
  RenameRegisteredModelRequest: registry.renameRegisteredModelRequest,
  UpdateRegisteredModelRequest: registry.updateRegisteredModelRequest,
  DeleteRegisteredModelRequest: registry.deleteRegisteredModelRequest,
  GetLatestVersionsRequest: registry.getLatestVersionsRequest,
  SetModelAliasRequest: registry.setAliasRequest,
  ModelAliasRef: registry.aliasRef,
  RegisteredModel: registry.registeredModel,
  RegisteredModelResponse: registry.registeredModelResponse,
  SearchRegisteredModelsResponse: registry.searchRegisteredModelsResponse,
  CreateModelVersionRequest: registry.createModelVersionRequest,
  UpdateModelVersionRequest: registry.updateModelVersionRequest,
  ModelVersionRef: registry.modelVersionRef,
  ModelVersion: registry.modelVersion,
  ModelVersionResponse: registry.modelVersionResponse,
  ModelVersionsResponse: registry.latestVersionsResponse,
  SearchModelVersionsResponse: registry.searchModelVersionsResponse,
  DownloadUriResponse: registry.downloadUriResponse,
  ListArtifactsResponse: registry.listArtifactsResponse,
  CreateMultipartUploadRequest: registry.createMultipartUploadRequest,
  CreateMultipartUploadResponse: registry.createMultipartUploadResponse,
  CompleteMultipartUploadRequest: registry.completeMultipartUploadRequest,
  AbortMultipartUploadRequest: registry.abortMultipartUploadRequest,
} satisfies Record<string, z.ZodType>;
