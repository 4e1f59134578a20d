import { env } from "cloudflare:test";
import type { PayloadLogRecord } from "@edgeserve/api";
import { afterEach, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { createUserWithToken } from "../../test/principals";
import { type PageCursor, readPayloadLogs } from "../payload-logs/read-logs";
import { searchFilter } from "../payload-logs/search-filter";

let upstream: { restore(): void } | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

const NAME = "pl-search";
const logging = {
  ai_gateway: { inference_table_config: { catalog_name: "main", schema_name: "logs", enabled: true } },
};

const list = (query: string, token?: string) =>
  call("GET", `/api/2.0/serving-endpoints/${NAME}/payload-logs?${query}`, token ? { token } : {});

/** Sends one query and waits until its record is readable, so each query lands in its own stored object. */
async function queryAndWait(requestId: string, content: string, since: number, expected: number): Promise<void> {
  const res = await call("POST", `/serving-endpoints/${NAME}/invocations`, {
    body: { messages: [{ role: "user", content }] },
    headers: { "x-request-id": requestId },
  });
  expect([200, 429]).toContain(res.status);
  for (const deadline = Date.now() + 20_000; ; ) {
    const page = await list(`start_time=${since}`);
    expect(page.status, page.text).toBe(200);
    if (page.json.payload_logs.length >= expected) return;
    if (Date.now() > deadline) throw new Error(`record ${requestId} not logged`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ids = (res: { json: any }) => res.json.payload_logs.map((r: PayloadLogRecord) => r.databricks_request_id);

describe("GET …/payload-logs search (request_id, status, text)", () => {
  it("finds records by request id, status and text in request or response, and pages bounded", async () => {
    const created = await createReadyEndpoint(customChatEndpoint(NAME, logging));
    const since = Date.now() - 1;
    upstream = fakeOpenAiUpstream();
    await queryAndWait("search-1", "Tell me about AARDVARKS please", since, 1);
    await queryAndWait("search-2", "something else entirely", since, 2);
    upstream.restore();
    upstream = fakeOpenAiUpstream({ status: 429 });
    await queryAndWait("search-3", "aardvarks again, but the upstream refuses", since, 3);
    upstream.restore();
    upstream = fakeOpenAiUpstream();
    await queryAndWait("search-4", "a last plain one", since, 4);

    const byId = await list(`start_time=${since}&request_id=search-2`);
    expect(byId.status, byId.text).toBe(200);
    expect(ids(byId)).toEqual(["search-2"]);
    expect(byId.json.next_page_token).toBeUndefined();

    // Case-insensitive, in the request text; the error is found by status.
    expect(ids(await list(`start_time=${since}&text=aardvark`))).toEqual(["search-1", "search-3"]);
    expect(ids(await list(`start_time=${since}&status=error`))).toEqual(["search-3"]);
    expect(ids(await list(`start_time=${since}&status=success&text=aardvark`))).toEqual(["search-1"]);
    // The response is searched too (the fake upstream answers "Hello! …" to every successful query).
    const inResponse = await list(`start_time=${since}&text=${encodeURIComponent("hello")}`);
    expect(ids(inResponse)).toEqual(["search-1", "search-2", "search-4"]);
    expect(ids(await list(`start_time=${since}&text=no-such-words`))).toEqual([]);

    // Paging through a search with max_results: every match once, in order.
    const first = await list(`start_time=${since}&status=success&max_results=2`);
    expect(ids(first)).toEqual(["search-1", "search-2"]);
    const rest = await list(
      `start_time=${since}&status=success&max_results=2&page_token=${first.json.next_page_token}`,
    );
    expect(ids(rest)).toEqual(["search-4"]);
    expect(rest.json.next_page_token).toBeUndefined();

    // The object budget: with one object per call, pages are short (even empty) but the token walks every match.
    const objects = await env.ARTIFACTS.list({ prefix: `payload-logs/${created.id}/` });
    expect(objects.objects.length).toBeGreaterThanOrEqual(4);
    const filter = searchFilter({ status: "success" })!;
    const seen: string[] = [];
    let after: PageCursor | undefined;
    let calls = 0;
    do {
      const page = await readPayloadLogs(env.ARTIFACTS, created.id, {
        startMs: since,
        endMs: Date.now() + 1,
        maxResults: 100,
        filter,
        maxObjects: 1,
        ...(after ? { after } : {}),
      });
      seen.push(...page.records.map((r) => r.databricks_request_id));
      after = page.next;
      calls++;
    } while (after && calls < 20);
    expect(seen).toEqual(["search-1", "search-2", "search-4"]);
    expect(calls).toBeGreaterThanOrEqual(objects.objects.length);
  });

  it("refuses bad search parameters with 400 and keeps search to managers", async () => {
    await createReadyEndpoint(customChatEndpoint("pl-search-bad", logging));
    const since = Date.now() - 1000;
    for (const query of ["status=failed", "text=", `text=${"x".repeat(201)}`, "request_id="]) {
      const res = await call(
        "GET",
        `/api/2.0/serving-endpoints/pl-search-bad/payload-logs?start_time=${since}&${query}`,
      );
      expect(res.status, query).toBe(400);
      expect(res.json.error_code, query).toBe("INVALID_PARAMETER_VALUE");
    }
    const viewer = await createUserWithToken("viewer@pl-search.example");
    const res = await call("GET", `/api/2.0/serving-endpoints/pl-search-bad/payload-logs?start_time=${since}&text=a`, {
      token: viewer.token,
    });
    expect(res.status).toBe(403);
  });
});
