import type { AiGateway, EndpointCoreConfigInput } from "@edgeserve/api";
import type { EndpointRow } from "../endpoints/store";
import type { StoredConfig } from "../endpoints/stored-config";

type TableConfig =
  | NonNullable<AiGateway["inference_table_config"]>
  | NonNullable<EndpointCoreConfigInput["auto_capture_config"]>;

/** The payload-table settings in force: `ai_gateway.inference_table_config`, else the legacy `auto_capture_config`. */
export function payloadTableConfig(row: EndpointRow, config: StoredConfig | null): TableConfig | null {
  const gateway = (row.aiGateway as AiGateway | null)?.inference_table_config;
  if (gateway?.enabled) return gateway;
  const legacy = config?.auto_capture_config;
  if (legacy?.enabled) return legacy;
  return null;
}

/** `<catalog>.<schema>.<prefix>_payload`, as Databricks names the table (the prefix defaults to the endpoint name). */
function payloadTableName(endpointName: string, table: TableConfig): string {
  return [table.catalog_name, table.schema_name, `${table.table_name_prefix ?? endpointName}_payload`]
    .filter(Boolean)
    .join(".");
}

/** `auto_capture_config` as GET shows it: with `state.payload_table` while logging is enabled, as on Databricks. */
export function autoCaptureOutput(autoCapture: NonNullable<StoredConfig["auto_capture_config"]>, endpointName: string) {
  if (!autoCapture.enabled) return autoCapture;
  return {
    ...autoCapture,
    state: {
      payload_table: {
        name: payloadTableName(endpointName, autoCapture),
        status: "ACTIVE",
        status_message:
          `Requests and responses are logged to R2 under payload-logs/<endpoint id>/; ` +
          `read them with GET /api/2.0/serving-endpoints/${endpointName}/payload-logs.`,
      },
    },
  };
}
