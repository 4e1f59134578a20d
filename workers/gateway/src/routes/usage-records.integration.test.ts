import { afterEach, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { eventually } from "../../test/eventually";
import { createUserWithToken } from "../../test/principals";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

const NAME = "usage-records";
const tracked = () => customChatEndpoint(NAME, { ai_gateway: { usage_tracking_config: { enabled: true } } });
const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  messages: [{ role: "user", content }],
  ...extra,
});
const records = (query: string, token?: string) =>
  call("GET", `/api/2.0/serving-endpoints/${NAME}/usage/records${query}`, token ? { token } : {});

describe("GET /api/2.0/serving-endpoints/{name}/usage/records", () => {
  it("lists each tracked call with its requester and usage_context, pages, and scopes who sees what", async () => {
    const since = Date.now() - 1;
    const owner = await createUserWithToken("owner@records.example");
    const querier = await createUserWithToken("querier@records.example");
    const stranger = await createUserWithToken("stranger@records.example");
    const first = await createReadyEndpoint(tracked(), owner.token);
    const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${first.id}`, {
      token: owner.token,
      body: { access_control_list: [{ user_name: "querier@records.example", permission_level: "CAN_QUERY" }] },
    });
    expect(grant.status, grant.text).toBe(200);

    upstream = fakeOpenAiUpstream();
    const context = { source: "ai_query", statement_id: "stmt-1" };
    for (const [i, token] of [owner.token, owner.token, querier.token].entries()) {
      const body = chat(`question ${i}`, { client_request_id: `req-${i}`, usage_context: context });
      const res = await call("POST", `/serving-endpoints/${NAME}/invocations`, { body, token });
      expect(res.status, res.text).toBe(200);
    }

    // The manager sees every caller's calls, oldest first, with Databricks' endpoint_usage columns.
    const all = await eventually(
      () => records(`?start_time=${since}`, owner.token),
      (r) => r.json.usage_records?.length === 3,
    );
    expect(all.status, all.text).toBe(200);
    expect(all.json.endpoint_name).toBe(NAME);
    expect(all.json.next_page_token).toBeUndefined();
    const rows = all.json.usage_records as any[];
    expect(rows.map((r) => r.client_request_id).sort()).toEqual(["req-0", "req-1", "req-2"]);
    expect(rows.map((r) => r.requester).sort()).toEqual([
      "owner@records.example",
      "owner@records.example",
      "querier@records.example",
    ]);
    for (const row of rows) {
      expect(row.usage_context).toEqual(context);
      expect(row.status_code).toBe(200);
      expect(row.input_token_count).toBeGreaterThan(0);
      expect(row.output_token_count).toBeGreaterThan(0);
      expect(row.request_streaming).toBe(false);
      expect(row.served_entity_name).toBe("primary");
      expect(row.request_time).toBeGreaterThanOrEqual(since);
      expect(row.databricks_request_id).toMatch(/\S/);
    }
    expect(rows.map((r) => r.request_time)).toEqual([...rows.map((r) => r.request_time)].sort((a, b) => a - b));

    // Pages of two, then one: the same three records, none twice.
    const page1 = await records(`?start_time=${since}&max_results=2`, owner.token);
    expect(page1.json.usage_records).toHaveLength(2);
    expect(page1.json.next_page_token).toEqual(expect.any(String));
    const page2 = await records(
      `?start_time=${since}&max_results=2&page_token=${page1.json.next_page_token}`,
      owner.token,
    );
    expect(page2.json.usage_records).toHaveLength(1);
    expect(page2.json.next_page_token).toBeUndefined();
    expect([...page1.json.usage_records, ...page2.json.usage_records]).toEqual(rows);

    // A CAN_QUERY caller sees only their own call; no permission at all is a 403.
    const own = await records(`?start_time=${since}`, querier.token);
    expect(own.status, own.text).toBe(200);
    expect(own.json.usage_records.map((r: any) => r.client_request_id)).toEqual(["req-2"]);
    const refused = await records("", stranger.token);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.error_code).toBe("PERMISSION_DENIED");

    // A user deleted and re-created under the same name does not see the earlier user's calls.
    expect((await call("DELETE", `/api/2.0/preview/scim/v2/Users/${querier.id}`)).status).toBe(204);
    const newQuerier = await createUserWithToken("querier@records.example");
    const regrant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${first.id}`, {
      token: owner.token,
      body: { access_control_list: [{ user_name: "querier@records.example", permission_level: "CAN_QUERY" }] },
    });
    expect(regrant.status, regrant.text).toBe(200);
    const afterReuse = await records(`?start_time=${since}`, newQuerier.token);
    expect(afterReuse.status, afterReuse.text).toBe(200);
    expect(afterReuse.json.usage_records).toEqual([]);

    // After DELETE, the name's next endpoint starts with no records.
    expect((await call("DELETE", `/api/2.0/serving-endpoints/${NAME}`, { token: owner.token })).status).toBe(200);
    await createReadyEndpoint(tracked(), owner.token);
    const reused = await records(`?start_time=${since}`, owner.token);
    expect(reused.status, reused.text).toBe(200);
    expect(reused.json.usage_records).toEqual([]);
  });

  it("refuses a bad window, page size or page token with 400 INVALID_PARAMETER_VALUE", async () => {
    await createReadyEndpoint(customChatEndpoint("usage-records-params"));
    const path = "/api/2.0/serving-endpoints/usage-records-params/usage/records";
    for (const query of [
      "?max_results=0",
      "?max_results=5001",
      "?start_time=20&end_time=10",
      "?page_token=%25%25",
      "?x=1",
    ]) {
      const res = await call("GET", `${path}${query}`);
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    const missing = await call("GET", "/api/2.0/serving-endpoints/no-such-endpoint/usage/records");
    expect(missing.status).toBe(404);
  });
});
