import { isConsolePage } from "@edgeserve/api/console-pages";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ALL_METHODS,
  ROUTE_TABLE,
  assertBadRequests,
  checkBadRequest,
  digest,
  methodsAt,
  send,
  warmUp,
} from "./harness";

/**
 * Unknown routes and wrong methods: 404 ENDPOINT_NOT_FOUND (401 first under the authenticated prefixes), no state
 * change.
 */

const WORDS = [
  "api",
  "2.0",
  "2.1",
  "serving-endpoints",
  "preview",
  "scim",
  "v2",
  "Users",
  "token",
  "secrets",
  "scopes",
  "acls",
  "permissions",
  "invocations",
  "chat",
  "completions",
  "x",
  "config",
  "openapi.json",
  "docs",
  "health",
];
const segment = fc.oneof(fc.constantFrom(...WORDS), fc.stringMatching(/^[A-Za-z0-9_~-]{1,12}$/));
const PREFIXES = [
  "",
  "/api",
  "/api/2.0",
  "/api/2.1",
  "/api/2.0/preview/scim/v2",
  "/serving-endpoints",
  "/api/2.0/serving-endpoints/bi-x",
  "/api/2.0/secrets",
  "/api/2.0/token-management",
  "/API/2.0",
];

/** A path no route serves (checked against ROUTE_TABLE). */
const unknownPath = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([prefix, segments, slash]) => `${prefix}/${segments.join("/")}${slash ? "/" : ""}`)
  .filter(
    (path) =>
      methodsAt(path).size === 0 &&
      // The console's pages answer GET with its index.html (routes/console.ts).
      !isConsolePage(path) &&
      !/(^|\/)\.{1,2}(\/|$)/.test(path) &&
      !path.startsWith("/serving-endpoints/anthropic"),
  );

beforeAll(warmUp);

describe("bad input: routing", () => {
  it("unknown paths are 404 ENDPOINT_NOT_FOUND with a token, and never a 5xx without one", async () => {
    await assertBadRequests(
      fc.tuple(unknownPath, fc.constantFrom(...ALL_METHODS)),
      ([path, method]) => ({ method, path, ...(method === "GET" ? {} : { body: "{}" }) }),
      { statuses: [404], code: "ENDPOINT_NOT_FOUND" },
      60,
    );
    await assertBadRequests(
      fc.tuple(unknownPath, fc.constantFrom(...ALL_METHODS)),
      ([path, method]) => ({ method, path, token: null }),
      // Under /api/* and /serving-endpoints/* authentication runs first.
      { statuses: [401, 404] },
      30,
    );
  });

  it("every route in the table answers its own method (the table is the gateway's)", async () => {
    // Only reads: a wrong table would make the wrong-method checks of the area files meaningless.
    for (const [method, pattern] of ROUTE_TABLE.filter(([m]) => m === "GET")) {
      const path = pattern.replace(/:[a-z_]+/g, "bi-none");
      const res = await send({ method, path });
      expect([200, 400, 403, 404], `${method} ${path}: ${res.text.slice(0, 200)}`).toContain(res.status);
      if (res.status === 404)
        expect((res.json as { error_code: string }).error_code, `${method} ${path}`).not.toBe("ENDPOINT_NOT_FOUND");
    }
  });

  it("unauthenticated routes (health, API docs) answer wrong methods with 404 ENDPOINT_NOT_FOUND", async () => {
    let state = await digest();
    for (const path of ["/health", "/api/2.0/openapi.json", "/docs"]) {
      for (const method of ALL_METHODS.filter((m) => m !== "GET")) {
        state = await checkBadRequest(
          { method, path, token: null },
          { statuses: path.startsWith("/api/") ? [401, 404] : [404] },
          state,
        );
      }
      // Query strings are ignored, never a 5xx.
      const res = await send({ method: "GET", path: `${path}?x=%zz&y`, token: null });
      expect(res.status, res.text.slice(0, 200)).toBe(200);
    }
  });
});
