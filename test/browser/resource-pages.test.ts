/** The registry, secret scopes, tokens and principals pages: they list what the API returns, and pass axe. */
import crypto from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, e2e, ok, uniqueName } from "../e2e/helpers";
import { expectAccessible, launchChromium, newPage, screenshot, signIn } from "./browser";

let browser: Browser;
let page: Page;
const scope = uniqueName("pages-scope");
const secretValue = `value-${crypto.randomBytes(8).toString("hex")}`;

beforeAll(async () => {
  await ok(api("POST", "/api/2.0/secrets/scopes/create", { body: { scope } }));
  await ok(api("POST", "/api/2.0/secrets/put", { body: { scope, key: "visible-key", string_value: secretValue } }));
  browser = await launchChromium();
  page = await newPage(browser);
  await signIn(page, e2e().adminToken);
});
afterAll(async () => {
  await browser?.close();
});

describe("the console's list pages", () => {
  it("shows a scope's keys but never a secret value", async () => {
    await page.goto("/secrets");
    await page.getByRole("button", { name: scope }).click();
    await page.getByRole("cell", { name: "visible-key" }).waitFor();
    expect(await page.content()).not.toContain(secretValue);
    await expectAccessible(page, "the secret scopes page");
  });

  it("lists the registry, tokens and principals, each passing axe", async () => {
    const models = await ok(api("GET", "/api/2.0/mlflow/registered-models/search"));
    await page.goto("/registry");
    await page.getByRole("heading", { name: "Model registry" }).waitFor();
    const first = models.registered_models?.[0]?.name;
    if (first) {
      await page.getByRole("link", { name: first }).click();
      await page.getByRole("heading", { name: "Versions" }).waitFor();
      await expectAccessible(page, "a registered model");
      await page.goto("/registry");
      await page.getByRole("link", { name: first }).waitFor();
    }
    await expectAccessible(page, "the registry");
    await screenshot(page, "registry");

    await page.goto("/tokens");
    await page.getByRole("heading", { name: "Access tokens" }).waitFor();
    await expectAccessible(page, "the tokens page");

    await page.goto("/principals");
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    await expect.poll(() => page.getByRole("cell", { name: "admins" }).count()).toBeGreaterThan(0);
    await expectAccessible(page, "the principals page");
  });
});
