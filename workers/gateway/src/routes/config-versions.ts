import {
  type ConfigVersionEntry,
  type ListConfigVersionsResponse,
  configVersionParam,
  errors,
  listConfigVersionsQuery,
} from "@edgeserve/api";
import { Hono } from "hono";
import { type ConfigHistoryEntry, listConfigHistory, readConfigVersion } from "../endpoints/config-history";
import { loadEndpointForCaller } from "../endpoints/load-for-caller";
import { configOutput } from "../endpoints/serialize";
import type { AppEnv } from "../env";
import { readQuery } from "../http/read-json";

/**
 * GET /api/2.0/serving-endpoints/{name}/config-versions[/{config_version}] (Edgeserve extension): the configs
 * an endpoint has served, for rollback. CAN_MANAGE, as only a manager can send one back to PUT …/config.
 * The name resolves to the endpoint that holds it now; history is kept by endpoint id, so an earlier endpoint
 * of the same name (deleted, its history with it) is never shown.
 */
export const configVersionRoutes = new Hono<AppEnv>();

function toEntry(entry: ConfigHistoryEntry, endpointName: string): ConfigVersionEntry {
  return {
    config_version: entry.configVersion,
    promoted_at: entry.promotedAt,
    // Serialized as GET serializes `config`: references stay references, internal fields are left out.
    config: configOutput(entry.config, endpointName) as ConfigVersionEntry["config"],
  };
}

configVersionRoutes.get("/:name/config-versions", async (c) => {
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_MANAGE");
  const query = readQuery(c, listConfigVersionsQuery);
  const before = query.page_token === undefined ? undefined : Number(query.page_token);
  // One more than the page tells whether older configs follow.
  const entries = await listConfigHistory(db, row.id, query.page_size + 1, before);
  const page = entries.slice(0, query.page_size);
  const body: ListConfigVersionsResponse = {
    config_versions: page.map((e) => toEntry(e, row.name)),
    ...(entries.length > query.page_size ? { next_page_token: String(page.at(-1)!.configVersion) } : {}),
  };
  return c.json(body);
});

configVersionRoutes.get("/:name/config-versions/:version", async (c) => {
  const db = c.get("db");
  const { row } = await loadEndpointForCaller(c.env, db, c.get("principal"), c.req.param("name"), "CAN_MANAGE");
  const parsed = configVersionParam.safeParse(c.req.param("version"));
  if (!parsed.success) throw errors.invalid("config_version must be a positive integer.");
  const entry = await readConfigVersion(db, row.id, parsed.data);
  if (!entry) throw errors.notFound(`Endpoint '${row.name}' has never served config version ${parsed.data}.`);
  return c.json(toEntry(entry, row.name));
});
