import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { customChatEndpoint } from "../../test/endpoints";
import { createUserWithToken } from "../../test/principals";

// Names sort in this order; "pg-50_off" holds a LIKE wildcard that a search must match literally.
const NAMES = Array.from({ length: 11 }, (_, i) => `pg-${String(i).padStart(2, "0")}`).concat("pg-50_off");
let erin: { id: string; token: string };

beforeAll(async () => {
  for (const name of NAMES) {
    const res = await call("POST", "/api/2.0/serving-endpoints", { body: customChatEndpoint(name) });
    expect(res.status, res.text).toBe(200);
  }
  erin = await createUserWithToken("erin-pages@example.com");
  for (const name of ["pg-03", "pg-09"]) {
    const { json } = await call("GET", `/api/2.0/serving-endpoints/${name}`);
    const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${json.id}`, {
      body: { access_control_list: [{ user_name: "erin-pages@example.com", permission_level: "CAN_VIEW" }] },
    });
    expect(grant.status, grant.text).toBe(200);
  }
});

async function walk(query: string, token?: string): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const tokenParam = pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : "";
    const res = await call("GET", `/api/2.0/serving-endpoints?${query}${tokenParam}`, token ? { token } : {});
    expect(res.status, res.text).toBe(200);
    names.push(...res.json.endpoints.map((e: { name: string }) => e.name));
    pageToken = res.json.next_page_token;
    pages++;
  } while (pageToken && pages < 50);
  return { names, pages };
}

describe("GET /api/2.0/serving-endpoints in pages (page_size, page_token, search)", () => {
  it("walks every endpoint once, in name order, a page at a time", async () => {
    const { names, pages } = await walk("search=pg-&page_size=5");
    expect(names).toEqual(NAMES);
    expect(pages).toBe(3);
  });

  it("lists everything in one answer without page_size, as Databricks does", async () => {
    const res = await call("GET", "/api/2.0/serving-endpoints");
    expect(res.json.next_page_token).toBeUndefined();
    expect(res.json.endpoints.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(NAMES));
  });

  it("searches names literally and case-insensitively", async () => {
    expect((await walk("search=PG-50_")).names).toEqual(["pg-50_off"]);
    expect((await walk("search=pg-0_")).names).toEqual([]);
  });

  it("fills a user's pages with the endpoints they may view only", async () => {
    const { names, pages } = await walk("search=pg-&page_size=1", erin.token);
    expect(names).toEqual(["pg-03", "pg-09"]);
    expect(pages).toBeLessThanOrEqual(3);
  });

  it("refuses a bad page size or a page token it did not make", async () => {
    for (const q of ["page_size=0", "page_size=1001", "page_size=ten", "page_token=%25%25%25"]) {
      const res = await call("GET", `/api/2.0/serving-endpoints?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.error_code, q).toBe("INVALID_PARAMETER_VALUE");
    }
  });
});
