import { isConsolePage } from "@edgeserve/api/console-pages";
import { describe, expect, it } from "vitest";
import { ROUTES } from "./routes";

describe("ROUTES", () => {
  it("are all under a page the gateway serves index.html for (CONSOLE_PAGES), so deep links load the app", () => {
    for (const route of ROUTES) expect(isConsolePage(route.path.replace(/\/:.*$/, "") || "/"), route.path).toBe(true);
  });
});
