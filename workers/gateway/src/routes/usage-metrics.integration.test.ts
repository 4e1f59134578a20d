import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { eventually } from "../../test/eventually";
import { createUserWithToken } from "../../test/principals";
import { readPrometheus } from "../../test/prometheus";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

async function scrape(name: string, token?: string) {
  const res = await call("GET", `/api/2.0/serving-endpoints/${name}/metrics`, token ? { token } : {});
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return readPrometheus(res.text);
}

const totalRequests = (m: ReturnType<typeof readPrometheus>) => m.counter("edgeserve_requests_total", {});

const chat = { messages: [{ role: "user", content: "How many tokens is this?" }] };
let bob: { id: string; token: string };
let carol: { id: string; token: string };

beforeAll(async () => {
  bob = await createUserWithToken("bob@example.com");
  carol = await createUserWithToken("carol@example.com");
  // Tracked endpoint; bob may query it but his calls budget is zero, so he is refused before any entity is picked.
  const tracked = await createReadyEndpoint(
    customChatEndpoint("usage-tracked", {
      ai_gateway: {
        usage_tracking_config: { enabled: true },
        rate_limits: [{ calls: 0, key: "user", principal: "bob@example.com", renewal_period: "minute" }],
      },
    }),
  );
  const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${tracked.id}`, {
    body: { access_control_list: [{ user_name: "bob@example.com", permission_level: "CAN_QUERY" }] },
  });
  expect(grant.status, grant.text).toBe(200);
  await createReadyEndpoint(customChatEndpoint("usage-untracked"));
});

describe("usage tracking and metrics over HTTP", () => {
  it("counts every query by status and entity, and tracks the usage of each provider call exactly once", async () => {
    upstream = fakeOpenAiUpstream();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call("POST", "/serving-endpoints/usage-tracked/invocations", { body: chat })).status);
    statuses.push(
      (await call("POST", "/serving-endpoints/usage-tracked/invocations", { body: { ...chat, stream: true } })).status,
    );
    statuses.push(
      (await call("POST", "/serving-endpoints/chat/completions", { body: { ...chat, model: "usage-tracked" } })).status,
    );
    for (let i = 0; i < 2; i++)
      statuses.push(
        (await call("POST", "/serving-endpoints/usage-tracked/invocations", { body: { messages: "not a list" } }))
          .status,
      );
    for (let i = 0; i < 2; i++)
      statuses.push(
        (await call("POST", "/serving-endpoints/usage-tracked/invocations", { body: chat, token: bob.token })).status,
      );
    // Unknown endpoints have nothing to count for and must not break anything.
    statuses.push((await call("POST", "/serving-endpoints/no-such-endpoint/invocations", { body: chat })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 400, 400, 429, 429, 404]);
    expect(upstream.calls).toHaveLength(5);

    const metrics = await eventually(
      () => scrape("usage-tracked"),
      (m) => totalRequests(m) >= 9 && m.counter("edgeserve_tokens_total", { direction: "input" }) > 0,
    );
    expect(metrics.type("edgeserve_requests_total")).toBe("COUNTER");
    expect(metrics.type("edgeserve_request_latency_ms")).toBe("HISTOGRAM");
    expect(totalRequests(metrics)).toBe(9);
    expect(
      metrics.counter("edgeserve_requests_total", {
        endpoint: "usage-tracked",
        served_entity: "primary",
        status_code: "200",
      }),
    ).toBe(5);
    expect(metrics.counter("edgeserve_requests_total", { served_entity: "primary", status_code: "400" })).toBe(2);
    expect(metrics.counter("edgeserve_requests_total", { served_entity: "", status_code: "429" })).toBe(2);

    const latency = metrics.histogram("edgeserve_request_latency_ms", { served_entity: "primary" });
    expect(latency.count).toBe(7);
    expect(latency.buckets.get("+Inf")).toBe(7);
    const counts = [...latency.buckets.values()];
    expect(counts).toEqual([...counts].sort((a, b) => a - b)); // cumulative
    expect(metrics.histogram("edgeserve_request_latency_ms", { served_entity: "" }).count).toBe(2);

    // Usage: the five provider calls (not the refused or invalid queries), all by the admin.
    const byUser = await eventually(
      () => call("GET", "/api/2.0/serving-endpoints/usage-tracked/usage?group_by=user"),
      (r) => r.status === 200 && r.json.usage.reduce((n: number, row: any) => n + row.request_count, 0) >= 5,
    );
    expect(byUser.json.usage).toHaveLength(1);
    const row = byUser.json.usage[0];
    expect(row.group).not.toBe("bob@example.com");
    expect(row).toMatchObject({ request_count: 5, error_count: 0, estimated_count: 1 });
    expect(row.total_tokens).toBe(row.input_tokens + row.output_tokens);
    // Four answers reported 5 prompt + 1 completion tokens; the stream's were estimated.
    expect(row.input_tokens).toBeGreaterThanOrEqual(4 * 5);
    expect(row.output_tokens).toBeGreaterThanOrEqual(4);

    // The metrics' token counters agree with the usage records.
    const final = await scrape("usage-tracked");
    expect(final.counter("edgeserve_tokens_total", { served_entity: "primary", direction: "input" })).toBe(
      row.input_tokens,
    );
    expect(final.counter("edgeserve_tokens_total", { served_entity: "primary", direction: "output" })).toBe(
      row.output_tokens,
    );
    expect(totalRequests(final)).toBe(9);

    const byEntity = await call("GET", "/api/2.0/serving-endpoints/usage-tracked/usage?group_by=served_entity");
    expect(byEntity.json.usage).toEqual([{ ...row, group: "primary" }]);
    const byDay = await call("GET", "/api/2.0/serving-endpoints/usage-tracked/usage?group_by=day");
    expect(byDay.json.usage).toEqual([{ ...row, group: new Date().toISOString().slice(0, 10) }]);
    expect(byDay.json).toMatchObject({ endpoint_name: "usage-tracked", group_by: "day" });
    expect(byDay.json.end_time - byDay.json.start_time).toBe(30 * 86_400_000);

    const longAgo = await call("GET", "/api/2.0/serving-endpoints/usage-tracked/usage?start_time=1000&end_time=2000");
    expect(longAgo.status).toBe(200);
    expect(longAgo.json).toEqual({
      endpoint_name: "usage-tracked",
      start_time: 1000,
      end_time: 2000,
      group_by: "served_entity",
      usage: [],
    });
  });

  it(
    "always counts metrics (Anthropic ingress too), but reports " +
      "usage only for queries made while tracking was enabled",
    async () => {
      upstream = fakeOpenAiUpstream();
      for (let i = 0; i < 2; i++)
        expect((await call("POST", "/serving-endpoints/usage-untracked/invocations", { body: chat })).status).toBe(200);
      const anthropic = await call("POST", "/serving-endpoints/anthropic/v1/messages", {
        headers: { "anthropic-version": "2023-06-01" },
        body: { model: "usage-untracked", max_tokens: 20, messages: [{ role: "user", content: "hi" }] },
      });
      expect(anthropic.status, anthropic.text).toBe(200);
      const metrics = await eventually(
        () => scrape("usage-untracked"),
        (m) => totalRequests(m) >= 3 && m.counter("edgeserve_tokens_total", { direction: "input" }) >= 15,
      );
      expect(metrics.counter("edgeserve_requests_total", { served_entity: "primary", status_code: "200" })).toBe(3);
      expect(metrics.counter("edgeserve_tokens_total", { served_entity: "primary", direction: "input" })).toBe(15);
      expect(metrics.counter("edgeserve_tokens_total", { served_entity: "primary", direction: "output" })).toBe(3);
      const usage = await call("GET", "/api/2.0/serving-endpoints/usage-untracked/usage");
      expect(usage.status).toBe(200);
      expect(usage.json.usage).toEqual([]);
    },
  );

  it("needs CAN_VIEW on the endpoint for metrics and usage", async () => {
    for (const path of ["metrics", "usage"]) {
      const denied = await call("GET", `/api/2.0/serving-endpoints/usage-tracked/${path}`, { token: carol.token });
      expect(denied.status).toBe(403);
      expect(denied.json.error_code).toBe("PERMISSION_DENIED");
      const missing = await call("GET", `/api/2.0/serving-endpoints/no-such-endpoint/${path}`);
      expect(missing.status).toBe(404);
      expect((await call("GET", `/api/2.0/serving-endpoints/usage-tracked/${path}`, { token: null })).status).toBe(401);
    }
    // bob holds CAN_QUERY, which includes CAN_VIEW.
    await scrape("usage-tracked", bob.token);
  });

  it("answers bad usage parameters with 400 naming the field", async () => {
    const cases: Array<[string, string]> = [
      ["group_by=week", "group_by"],
      ["start_time=yesterday", "start_time"],
      ["end_time=-5", "end_time"],
      ["start_time=2000&end_time=1000", "start_time"],
      ["start_time=1000&end_time=1000", "start_time"],
      [`start_time=${Date.now() + 3_600_000}`, "start_time"],
      ["limit=10", "limit"],
    ];
    for (const [query, field] of cases) {
      const res = await call("GET", `/api/2.0/serving-endpoints/usage-tracked/usage?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.error_code, query).toBe("INVALID_PARAMETER_VALUE");
      expect(res.json.message, query).toContain(field);
    }
  });
});
