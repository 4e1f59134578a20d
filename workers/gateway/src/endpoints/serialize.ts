import type { PermissionLevel } from "@edgeserve/api";
import { type EndpointRow, storedConfig, storedPendingConfig } from "./store";
import type { StoredConfig } from "./stored-config";
import { autoCaptureOutput } from "../payload-logs/settings";

export function configOutput(config: StoredConfig, endpointName: string) {
  return {
    // The pinned registry version is the deployment's own record (the build log says which version it is).
    served_entities: config.served_entities.map(({ pinned_model: _pinned, ...entity }) => entity),
    ...(config.served_models ? { served_models: config.served_models } : {}),
    traffic_config: config.traffic_config,
    ...(config.auto_capture_config
      ? { auto_capture_config: autoCaptureOutput(config.auto_capture_config, endpointName) }
      : {}),
    config_version: config.config_version,
  };
}

function optional<T>(key: string, value: T | null | undefined): Record<string, T> {
  return value === null || value === undefined ? {} : { [key]: value };
}

/** Fields both the detailed and the summary form start with. */
function identity(row: EndpointRow) {
  return {
    name: row.name,
    id: row.id,
    creator: row.creator,
    creation_timestamp: row.createdAt,
    last_updated_timestamp: row.updatedAt,
    ...optional("description", row.description),
    state: { ready: row.ready, config_update: row.configUpdate },
  };
}

/** ServingEndpointDetailed, as GET, create and update answer. */
export function toDetailed(row: EndpointRow, permissionLevel: PermissionLevel, origin: string) {
  const config = storedConfig(row);
  const pending = storedPendingConfig(row);
  return {
    ...identity(row),
    ...(config ? { config: configOutput(config, row.name) } : {}),
    // Also after a failed update: its entities' state (DEPLOYMENT_FAILED, deployment_state_message) says why.
    ...(pending && (row.configUpdate === "IN_PROGRESS" || row.configUpdate === "UPDATE_FAILED")
      ? { pending_config: { ...configOutput(pending, row.name), start_time: row.pendingStartedAt ?? row.updatedAt } }
      : {}),
    ...optional("tags", row.tags),
    ...optional("ai_gateway", row.aiGateway),
    ...optional("rate_limits", row.rateLimits),
    route_optimized: row.routeOptimized,
    ...(row.routeOptimized
      ? {
          endpoint_url: `${origin}/serving-endpoints/${row.name}/invocations`,
          data_plane_info: { query_info: { endpoint_url: `${origin}/serving-endpoints/${row.name}/invocations` } },
        }
      : {}),
    ...optional("budget_policy_id", row.budgetPolicyId),
    ...optional("email_notifications", row.emailNotifications),
    ...optional("telemetry_config", row.telemetryConfig),
    ...optional("task", row.task),
    ...optional("endpoint_type", row.endpointType),
    permission_level: permissionLevel,
  };
}

/** The summary form of GET /api/2.0/serving-endpoints. */
export function toSummary(row: EndpointRow, permissionLevel: PermissionLevel) {
  const config = storedConfig(row) ?? storedPendingConfig(row);
  return {
    ...identity(row),
    ...(config
      ? {
          config: {
            served_entities: config.served_entities.map((e) => ({
              name: e.name,
              ...optional("entity_name", e.entity_name),
              ...optional("entity_version", e.entity_version),
              ...optional("foundation_model", e.foundation_model),
              ...(e.external_model
                ? {
                    external_model: {
                      name: e.external_model.name,
                      provider: e.external_model.provider,
                      task: e.external_model.task,
                    },
                  }
                : {}),
            })),
          },
        }
      : {}),
    ...optional("tags", row.tags),
    ...optional("ai_gateway", row.aiGateway),
    ...optional("task", row.task),
    ...optional("endpoint_type", row.endpointType),
    route_optimized: row.routeOptimized,
    permission_level: permissionLevel,
  };
}
