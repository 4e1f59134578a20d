/** Shared helpers of the browser suite: one Chromium per file, a page signed in with a token, screenshots. */
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type Page, chromium } from "playwright-core";
import { expect } from "vitest";
import { api, e2e, ok, uniqueName } from "../e2e/helpers";

/** Debian's chromium (apt; .ci/run installs it): Playwright's own download needs a CDN CI cannot reach. */
const CHROMIUM = process.env.EDGESERVE_CHROMIUM ?? "/usr/bin/chromium";
const screenshotsDir = path.resolve(import.meta.dirname, "../../docs/screenshots");

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium fonts-liberation\``);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** A new page (its own context: own sessionStorage) with the colour scheme given, not signed in. */
export async function newPage(browser: Browser, colorScheme: "light" | "dark" = "light"): Promise<Page> {
  const context = await browser.newContext({ baseURL: e2e().url, colorScheme, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  // A page error (uncaught exception, CSP violation reported as an error) fails the test that caused it.
  page.on("pageerror", (error) => {
    throw error;
  });
  return page;
}

/** Signs in through the form, as a user would. */
export async function signIn(page: Page, token: string, at = "/"): Promise<void> {
  await page.goto(at);
  await page.getByLabel("Personal access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Console" }).waitFor();
}

/** Writes docs/screenshots/<name>.png (the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: false });
}

/** axe-core on the page as it is now: no serious or critical WCAG 2.x A/AA violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(described, `axe on ${what}`).toEqual([]);
}

/** A new service principal (no admin, no grants) and an on-behalf-of token for it, to sign in as someone else. */
export async function servicePrincipalToken(comment: string): Promise<{ applicationId: string; token: string }> {
  const sp = await ok(
    api("POST", "/api/2.0/preview/scim/v2/ServicePrincipals", {
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
        displayName: uniqueName("console-sp"),
        active: true,
      },
    }),
  );
  const issued = await ok(
    api("POST", "/api/2.0/token-management/on-behalf-of/tokens", {
      body: { application_id: sp.applicationId, comment, lifetime_seconds: 3600 },
    }),
  );
  return { applicationId: sp.applicationId, token: issued.token_value };
}
