/** The console with the keyboard only: sign in, skip to content, search, open an endpoint, query it (Ctrl+Enter). */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockEndpoint, createMockEndpoint, e2e } from "../e2e/helpers";
import { launchChromium, newPage } from "./browser";

let browser: Browser;
let endpoint: MockEndpoint;

beforeAll(async () => {
  [browser, endpoint] = await Promise.all([launchChromium(), createMockEndpoint("llm/v1/chat", { prefix: "kbd" })]);
});
afterAll(async () => {
  await browser?.close();
});

/** What has focus: its accessible-ish description (tag, label text or id). */
function focused(page: Page): Promise<string> {
  return page.evaluate(
    "(() => { const el = document.activeElement; " +
      "return el ? [el.tagName.toLowerCase(), el.id, (el.textContent ?? '').trim()].join('|') : '' })()",
  );
}

/** Presses Tab until focus is on what `matches` accepts; fails after `max` presses. */
async function tabTo(page: Page, matches: (description: string) => boolean, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (matches(await focused(page))) return;
  }
  throw new Error(`focus never reached the target; last: ${await focused(page)}`);
}

describe("keyboard only", () => {
  it("signs in, skips to content, finds and queries an endpoint", async () => {
    const page = await newPage(browser);
    await page.goto("/");
    await tabTo(page, (d) => d.startsWith("input|token|"));
    await page.keyboard.type(e2e().adminToken);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Serving endpoints" }).waitFor();

    // The first Tab reaches the skip link; Enter moves focus to the main region.
    await page.keyboard.press("Tab");
    expect(await focused(page)).toContain("Skip to content");
    await page.keyboard.press("Enter");
    await tabTo(page, (d) => d.startsWith("input|endpoint-search|"));
    await page.keyboard.type(endpoint.name);
    await page.getByRole("link", { name: endpoint.name }).waitFor();
    await tabTo(page, (d) => d.endsWith(`|${endpoint.name}`));
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Overview" }).waitFor();

    await tabTo(page, (d) => d.endsWith("|Query"));
    await page.keyboard.press("Enter");
    await tabTo(page, (d) => d.startsWith("textarea|query-request|"));
    await page.keyboard.press("Control+Enter");
    await expect
      .poll(() => page.getByTestId("query-response").textContent(), { timeout: 30_000 })
      .toContain('"choices"');
    // Every focused control showed a visible focus indicator (outline) — checked on the last one.
    const outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle");
    expect(outline).not.toBe("none");
    await page.context().close();
  });
});
