import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2e } from "../e2e/helpers";
import { expectAccessible, launchChromium, newPage, screenshot, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("signing in to the console", () => {
  it("opens at /, refuses a wrong token with the API's message, and signs in with a valid one", async () => {
    const page = await newPage(browser);
    await page.goto("/");
    await expect.poll(() => page.title()).toBe("Edgeserve console");
    await expectAccessible(page, "the sign-in page");
    await screenshot(page, "sign-in");

    await page.getByLabel("Personal access token").fill("dapi-not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("UNAUTHENTICATED");

    await page.getByLabel("Personal access token").fill(e2e().adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Serving endpoints" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/endpoints");
    // The token lives in this tab's sessionStorage only.
    expect(await page.evaluate("sessionStorage.getItem('edgeserve.token')")).toBe(e2e().adminToken);
    expect(await page.evaluate("localStorage.length")).toBe(0);
    expect((await page.context().cookies()).length).toBe(0);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Personal access token").waitFor();
    expect(await page.evaluate("sessionStorage.getItem('edgeserve.token')")).toBeNull();
    await page.context().close();
  });

  it("keeps a deep link through sign-in", async () => {
    const page = await newPage(browser);
    await signIn(page, e2e().adminToken, "/playground");
    expect(new URL(page.url()).pathname).toBe("/playground");
    await page.context().close();
  });

  it("answers API paths with JSON to a browser navigation", async () => {
    const page = await newPage(browser);
    for (const path of ["/api/2.0/serving-endpoints", "/api/2.0/no-such-api", "/serving-endpoints/none/invocations"]) {
      const res = await page.goto(path);
      expect(res?.headers()["content-type"], path).toContain("application/json");
      const body = JSON.parse((await res?.text()) ?? "");
      expect(body.error_code, path).toBeTypeOf("string");
    }
    await page.context().close();
  });
});
