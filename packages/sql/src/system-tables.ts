/**
 * Edgeserve's own data as tables, read through the gateway's API (so permissions apply) before a statement
 * that names them runs:
 *  - `system.serving.endpoint_usage`: one row per tracked request of every endpoint the caller can see (the last
 *    30 days; the caller's own requests unless they manage the endpoint), from GET …/usage/records,
 *  - `system.serving.served_entities`: one row per served entity of every endpoint the caller can see,
 *  - `payload_logs."<endpoint>"`: the endpoint's payload log (last 30 days), from GET …/payload-logs.
 * Only tables a statement names are loaded; each is loaded once per run. DuckDB reserves the catalog name
 * `system`, so the tables live in the catalog `edgeserve_system` and `system.serving.` is renamed in the SQL.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { GatewayClient } from "./gateway/gateway-client";
import { mapCode, quote } from "./rewrite/sql-text";

const CATALOG = "edgeserve_system";

/** Databricks' `system.serving.<table>` as this package's catalog names it. */
export function renameSystemCatalog(sql: string): string {
  return mapCode(sql, (code) => code.replace(/\bsystem(\s*\.\s*serving\s*\.)/gi, `${CATALOG}$1`));
}

/** Databricks' endpoint_usage columns (served_entity_name for its served_entity_id), plus endpoint_name. */
const USAGE_COLUMNS = {
  endpoint_name: "VARCHAR",
  databricks_request_id: "VARCHAR",
  client_request_id: "VARCHAR",
  requester: "VARCHAR",
  request_time: "TIMESTAMP",
  status_code: "INTEGER",
  input_token_count: "BIGINT",
  output_token_count: "BIGINT",
  token_counts_estimated: "BOOLEAN",
  usage_context: "MAP(VARCHAR, VARCHAR)",
  request_streaming: "BOOLEAN",
  served_entity_name: "VARCHAR",
  execution_duration_ms: "BIGINT",
};

const ENTITY_COLUMNS = {
  endpoint_name: "VARCHAR",
  endpoint_state: "VARCHAR",
  served_entity_name: "VARCHAR",
  entity_type: "VARCHAR",
  entity_name: "VARCHAR",
  entity_version: "VARCHAR",
  provider: "VARCHAR",
  task: "VARCHAR",
  endpoint_creator: "VARCHAR",
  endpoint_created_at: "TIMESTAMP",
};

const PAYLOAD_COLUMNS = {
  databricks_request_id: "VARCHAR",
  client_request_id: "VARCHAR",
  request_date: "DATE",
  request_time: "TIMESTAMP",
  timestamp_ms: "BIGINT",
  status_code: "INTEGER",
  execution_duration_ms: "BIGINT",
  request: "VARCHAR",
  response: "VARCHAR",
  served_entity_id: "VARCHAR",
  requester: "VARCHAR",
};

const PAYLOAD_LOG_DAYS = 30;

export class SystemTables {
  private readonly loaded = new Set<string>();
  private files = 0;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-sql-"));

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly client: GatewayClient,
  ) {}

  /** Loads the tables `sql` names that are not loaded yet. */
  async loadReferenced(sql: string): Promise<void> {
    if (/\bsystem\s*\.\s*serving\s*\.\s*endpoint_usage\b/i.test(sql)) await this.once("usage", () => this.usage());
    if (/\bsystem\s*\.\s*serving\s*\.\s*served_entities\b/i.test(sql))
      await this.once("entities", () => this.servedEntities());
    for (const m of sql.matchAll(/\bpayload_logs\s*\.\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*))/gi)) {
      const endpoint = m[1]?.replaceAll('""', '"') ?? m[2]!;
      await this.once(`payload:${endpoint}`, () => this.payloadLogs(endpoint));
    }
  }

  close(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async once(name: string, load: () => Promise<void>) {
    if (this.loaded.has(name)) return;
    await load();
    this.loaded.add(name);
  }

  private async systemSchema() {
    if (this.loaded.has("schema")) return;
    await this.connection.run(`ATTACH ':memory:' AS ${CATALOG}; CREATE SCHEMA ${CATALOG}.serving;`);
    this.loaded.add("schema");
  }

  private async usage() {
    await this.systemSchema();
    const file = this.file("usage");
    for (const endpoint of await this.client.listEndpoints()) {
      let token: string | undefined;
      do {
        const page = await this.client.usageRecords(endpoint.name, token);
        appendLines(
          file,
          page.records.map((r) => ({
            endpoint_name: endpoint.name,
            ...r,
            request_time: new Date(r.request_time).toISOString(),
            // Databricks' MAP<STRING, STRING>: values that are not strings are kept as their JSON text.
            usage_context: r.usage_context && mapOfStrings(r.usage_context),
          })),
        );
        token = page.next;
      } while (token);
    }
    await this.createFromFile(`${CATALOG}.serving.endpoint_usage`, USAGE_COLUMNS, file);
  }

  private async servedEntities() {
    await this.systemSchema();
    const rows: Record<string, unknown>[] = [];
    for (const listed of await this.client.listEndpoints()) {
      const endpoint = await this.client.getEndpoint(listed.name);
      for (const e of endpoint.config?.served_entities ?? [])
        rows.push({
          endpoint_name: endpoint.name,
          endpoint_state: endpoint.state?.ready ?? null,
          served_entity_name: e.name,
          entity_type: e.external_model ? "EXTERNAL_MODEL" : e.foundation_model ? "FOUNDATION_MODEL" : "CUSTOM_MODEL",
          entity_name: e.external_model?.name ?? e.foundation_model?.name ?? e.entity_name ?? null,
          entity_version: e.entity_version ?? null,
          provider: e.external_model?.provider ?? null,
          task: e.external_model?.task ?? endpoint.task ?? null,
          endpoint_creator: endpoint.creator ?? null,
          endpoint_created_at:
            endpoint.creation_timestamp !== undefined ? new Date(endpoint.creation_timestamp).toISOString() : null,
        });
    }
    await this.createTable(`${CATALOG}.serving.served_entities`, ENTITY_COLUMNS, rows);
  }

  private async payloadLogs(endpoint: string) {
    if (!this.loaded.has("payload-schema")) {
      await this.connection.run("CREATE SCHEMA IF NOT EXISTS payload_logs;");
      this.loaded.add("payload-schema");
    }
    const file = this.file("payload");
    const start = Date.now() - PAYLOAD_LOG_DAYS * 86_400_000;
    // Written page by page: a large log never sits in memory whole.
    let token: string | undefined;
    do {
      const page = await this.client.payloadLogs(endpoint, start, token);
      appendLines(file, page.records);
      token = page.next;
    } while (token);
    await this.createFromFile(`payload_logs."${endpoint.replaceAll('"', '""')}"`, PAYLOAD_COLUMNS, file);
  }

  private async createTable(name: string, columns: Record<string, string>, rows: Record<string, unknown>[]) {
    const file = this.file(name);
    appendLines(file, rows);
    await this.createFromFile(name, columns, file);
  }

  /** A new empty NDJSON file in this run's directory. */
  private file(stem: string): string {
    const file = path.join(this.dir, `${stem}-${this.loaded.size}-${++this.files}.ndjson`);
    fs.writeFileSync(file, "");
    return file;
  }

  private async createFromFile(name: string, columns: Record<string, string>, file: string) {
    const spec = Object.entries(columns)
      .map(([c, t]) => `${c}: ${quote(t)}`)
      .join(", ");
    const select =
      fs.statSync(file).size === 0
        ? `SELECT ${Object.entries(columns)
            .map(([c, t]) => `NULL::${t} AS ${c}`)
            .join(", ")} WHERE false`
        : `SELECT * FROM read_json(${quote(file)}, format = 'newline_delimited', columns = {${spec}})`;
    await this.connection.run(`CREATE OR REPLACE TABLE ${name} AS ${select}`);
  }
}

function appendLines(file: string, rows: unknown[]): void {
  if (rows.length > 0) fs.appendFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
}

function mapOfStrings(object: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}
