// The serving endpoint the bench creates on each Edgeserve instance, and the caller that queries it.
import crypto from "node:crypto";
import { api } from "./edgeserve-api.mjs";
import { startedAt } from "./log.mjs";
import { FEATURES } from "./settings.mjs";

export const ENDPOINT = "bench-chat";
/** The mock upstream's API key, stored on the endpoint as a credential (encrypted). */
export const UPSTREAM_TOKEN = `sk-bench-${crypto.randomBytes(8).toString("hex")}`;
export const MESSAGES = [{ role: "user", content: "Hello from the benchmark, please echo this." }];

/** A calls budget no bench run can spend (32 connections × a few thousand req/s is far below it). */
export const RATE_LIMIT_CALLS_PER_MINUTE = 1_000_000_000;
/**
 * The endpoint's AI Gateway settings: the full production path. Usage tracking (usage record +
 * query-outcome event on the usage queue), payload logging (inference table: the body copied as it streams,
 * one record on the payload-log queue) and a per-caller rate limit that never triggers (a Redis round trip
 * per query through the Upstash bridge when redis-server is available).
 */
export const AI_GATEWAY = {
  ...(FEATURES.has("usage") && { usage_tracking_config: { enabled: true } }),
  ...(FEATURES.has("payload") && {
    inference_table_config: {
      enabled: true,
      catalog_name: "bench",
      schema_name: "logs",
      table_name_prefix: "bench_chat",
    },
  }),
  ...(FEATURES.has("ratelimit") && {
    rate_limits: [{ calls: RATE_LIMIT_CALLS_PER_MINUTE, key: "user", renewal_period: "minute" }],
  }),
};

/** Creates the READY endpoint (provider custom → mock) and a non-admin service principal with CAN_QUERY. */
export async function provision(base, adminToken, mockUrl) {
  await api(base, adminToken, "POST", "/api/2.0/serving-endpoints", {
    name: ENDPOINT,
    ai_gateway: AI_GATEWAY,
    config: {
      served_entities: [
        {
          name: "mock",
          external_model: {
            name: "bench-model",
            provider: "custom",
            task: "llm/v1/chat",
            custom_provider_config: {
              custom_provider_url: `${mockUrl}/v1`,
              bearer_token_auth: { token_plaintext: UPSTREAM_TOKEN },
            },
          },
        },
      ],
    },
  });
  const deadline = Date.now() + 60_000;
  let ep;
  for (;;) {
    ep = await api(base, adminToken, "GET", `/api/2.0/serving-endpoints/${ENDPOINT}`);
    if (ep.state?.ready === "READY" && ep.state?.config_update === "NOT_UPDATING") break;
    if (ep.state?.config_update === "UPDATE_FAILED")
      throw new Error(`endpoint update failed: ${JSON.stringify(ep.state)}`);
    if (Date.now() > deadline) throw new Error(`endpoint not READY after 60 s: ${JSON.stringify(ep.state)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const sp = await api(base, adminToken, "POST", "/api/2.0/preview/scim/v2/ServicePrincipals", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
    displayName: `bench-sp-${crypto.randomBytes(3).toString("hex")}`,
    active: true,
  });
  const issued = await api(base, adminToken, "POST", "/api/2.0/token-management/on-behalf-of/tokens", {
    application_id: sp.applicationId,
    comment: "bench",
    lifetime_seconds: 3600,
  });
  await api(base, adminToken, "PATCH", `/api/2.0/permissions/serving-endpoints/${ep.id}`, {
    access_control_list: [{ service_principal_name: sp.applicationId, permission_level: "CAN_QUERY" }],
  });
  // The principal must not be an admin: the bench measures the permission check, not the admin bypass.
  const me = await api(base, issued.token_value, "GET", "/api/2.0/preview/scim/v2/Me");
  const isAdmin = (me.groups ?? []).some((g) => g.display === "admins" || g.value === "admins");
  if (isAdmin) throw new Error("the bench service principal is unexpectedly an admin");
  return { token: issued.token_value, applicationId: sp.applicationId, endpointId: ep.id };
}

/**
 * The bench endpoint's usage request count (usage API, as the admin). With `expect`, polls until the
 * count reaches it or stops growing for 5 s (the usage queue drains in the background).
 */
export async function usageRequestCount(base, adminToken, expect) {
  const read = async () => {
    const u = await api(
      base,
      adminToken,
      "GET",
      `/api/2.0/serving-endpoints/${ENDPOINT}/usage?group_by=day&start_time=${startedAt - 86_400_000}`,
    );
    return u.usage.reduce((sum, row) => sum + row.request_count, 0);
  };
  let count = await read();
  if (expect === undefined) return count;
  let lastChange = Date.now();
  while (count < expect && Date.now() - lastChange < 5000) {
    await new Promise((r) => setTimeout(r, 250));
    const next = await read();
    if (next !== count) lastChange = Date.now();
    count = next;
  }
  return count;
}
