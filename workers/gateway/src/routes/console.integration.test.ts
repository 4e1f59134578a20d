import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, fetchWorker } from "../../test/client";

/** What a browser sends when the user types a URL or follows a link. */
const NAVIGATION = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "sec-fetch-mode": "navigate",
  "sec-fetch-dest": "document",
};

function expectConsoleHeaders(res: Response) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
}

describe("the console (static assets from the ASSETS binding)", () => {
  it("serves index.html at / with strict security headers, and no inline script", async () => {
    const res = await fetchWorker("/", { headers: NAVIGATION });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expectConsoleHeaders(res);
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    // Every script is a file of this origin (the CSP forbids inline ones).
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it("answers a deep link of the app with index.html, so the router in the browser shows the page", async () => {
    const res = await fetchWorker("/endpoints/some-endpoint", { headers: NAVIGATION });
    expect(res.status).toBe(200);
    expectConsoleHeaders(res);
    expect(await res.text()).toContain('<div id="app">');
  });

  it("answers a path that is neither an API nor a console page with the API's JSON 404, not the app", async () => {
    for (const path of ["/token", "/no-such-page/deep", "/endpoint"]) {
      const res = await fetchWorker(path, { headers: NAVIGATION });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
    }
  });

  it("serves the built script with a long cache, and a missing asset as a 404 (never index.html)", async () => {
    const html = await (await fetchWorker("/")).text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const res = await fetchWorker(script!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expectConsoleHeaders(res);

    const missing = await fetchWorker("/assets/index-doesnotexist.js");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
  });

  it("leaves API paths to the API: JSON to a browser navigation, with or without a token", async () => {
    const unauthenticated = await fetchWorker("/api/2.0/serving-endpoints", { headers: NAVIGATION });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("content-type")).toContain("application/json");
    expect(await unauthenticated.json()).toMatchObject({ error_code: "UNAUTHENTICATED" });

    const listed = await fetchWorker("/api/2.0/serving-endpoints", {
      headers: { ...NAVIGATION, authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toHaveProperty("endpoints");

    const unknown = await fetchWorker("/api/2.0/no-such-api", {
      headers: { ...NAVIGATION, authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });

    const query = await fetchWorker("/serving-endpoints/no-such-endpoint/invocations", { headers: NAVIGATION });
    expect(query.headers.get("content-type")).toContain("application/json");
    expect(((await query.json()) as { error_code: unknown }).error_code).toBeTypeOf("string");
  });

  it("answers other methods on console paths as an unknown API (JSON), not with the app", async () => {
    const res = await fetchWorker("/endpoints", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
  });
});
