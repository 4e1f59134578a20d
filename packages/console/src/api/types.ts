/**
 * The response shapes the console reads, as the gateway serializes them (workers/gateway/src/endpoints/
 * serialize.ts). Types the API package defines come from @edgeserve/api (type-only imports: no zod
 * in the bundle).
 */
import type { MetricsSeriesResponse, PayloadLogRecord, PermissionLevel, UsageResponse } from "@edgeserve/api";

export type { MetricsSeriesResponse, PayloadLogRecord, PermissionLevel, UsageResponse };

export type { ListPayloadLogsResponse as PayloadLogsPage } from "@edgeserve/api";
export type { ConfigVersionEntry, ListConfigVersionsResponse as ConfigVersionsPage } from "@edgeserve/api";

interface AccessControlEntry {
  user_name?: string;
  group_name?: string;
  service_principal_name?: string;
  all_permissions?: { permission_level: PermissionLevel; inherited?: boolean; inherited_from_object?: string[] }[];
}

export interface EndpointPermissions {
  object_id: string;
  object_type?: string;
  access_control_list: AccessControlEntry[];
}

export interface EndpointState {
  ready: "READY" | "NOT_READY";
  config_update: "NOT_UPDATING" | "IN_PROGRESS" | "UPDATE_FAILED" | "UPDATE_CANCELED";
}

interface ExternalModelSummary {
  name: string;
  provider: string;
  task: string;
}

export interface ServedEntitySummary {
  name: string;
  entity_name?: string;
  entity_version?: string;
  external_model?: ExternalModelSummary & Record<string, unknown>;
  [key: string]: unknown;
}

export interface EndpointSummary {
  name: string;
  id: string;
  creator: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description?: string;
  state: EndpointState;
  config?: { served_entities: ServedEntitySummary[] };
  tags?: { key: string; value?: string }[];
  ai_gateway?: Record<string, unknown>;
  task?: string;
  endpoint_type?: string;
  route_optimized: boolean;
  permission_level: PermissionLevel;
}

interface EndpointConfigOutput {
  served_entities: ServedEntitySummary[];
  served_models?: unknown[];
  traffic_config?: {
    routes: { served_model_name?: string; served_entity_name?: string; traffic_percentage: number }[];
  };
  auto_capture_config?: Record<string, unknown>;
  config_version: number;
}

export interface EndpointDetailed extends Omit<EndpointSummary, "config"> {
  config?: EndpointConfigOutput;
  pending_config?: EndpointConfigOutput & { start_time: number };
  rate_limits?: { calls: number; key?: string; renewal_period: string }[];
  endpoint_url?: string;
}

export interface Me {
  id: string;
  userName?: string;
  displayName?: string;
  groups?: { display?: string; value: string }[];
}
