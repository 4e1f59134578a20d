/**
 * The console's main path in Chromium, against the running stack and the mock upstream: create an endpoint
 * through the form (secret picked from a scope), watch it deploy to READY, query it from its page, see the
 * metrics charts move, and check that a CAN_QUERY-only caller sees no edit controls (and that the API refuses
 * them anyway). Screenshots of each page go to docs/screenshots/.
 */
import crypto from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, e2e, mockAccepts, ok, uniqueName } from "../e2e/helpers";
import { expectAccessible, launchChromium, newPage, screenshot, servicePrincipalToken, signIn } from "./browser";

let browser: Browser;
let page: Page;
const endpointName = uniqueName("console");
const scope = uniqueName("console-scope");
const model = uniqueName("console-model");

beforeAll(async () => {
  // The upstream key lives in a secret scope the form's picker offers; the mock accepts exactly this key.
  const upstreamToken = `sk-${crypto.randomBytes(16).toString("hex")}`;
  await mockAccepts("authorization", `Bearer ${upstreamToken}`);
  await ok(api("POST", "/api/2.0/secrets/scopes/create", { body: { scope } }));
  await ok(api("POST", "/api/2.0/secrets/put", { body: { scope, key: "upstream", string_value: upstreamToken } }));
  browser = await launchChromium();
  page = await newPage(browser);
  await signIn(page, e2e().adminToken);
});
afterAll(async () => {
  await browser?.close();
});

/** Sums a column of a chart's table view (the chart itself is a canvas). */
async function chartColumnSum(p: Page, chart: string, column: number): Promise<number> {
  const figure = p.getByRole("figure", { name: chart });
  if ((await figure.getByRole("button", { name: "Show table" }).count()) > 0)
    await figure.getByRole("button", { name: "Show table" }).click();
  const cells = await figure.locator(`tbody tr td:nth-child(${column + 1})`).allTextContents();
  return cells.reduce((n, text) => n + (Number(text.replace(/[^\d.]/g, "")) || 0), 0);
}

describe("an endpoint from the console", () => {
  it("is created through the form, with the secret picked from a scope, and deploys to READY", async () => {
    await page.goto("/endpoints");
    await page.getByRole("link", { name: "Create serving endpoint" }).click();
    await page.getByLabel("Name", { exact: true }).fill(endpointName);
    // Custom models are picked from the registry (the stack seeds its built-in models there).
    const registered = await ok(api("GET", "/api/2.0/mlflow/registered-models/search"));
    await page.getByLabel("Model source").selectOption("registry");
    const offered = await page.getByLabel("Registered model").locator("option").allTextContents();
    expect(offered).toEqual(
      expect.arrayContaining((registered.registered_models ?? []).map((m: { name: string }) => m.name)),
    );
    await page.getByLabel("Model source").selectOption("external");
    await page.getByLabel("Provider", { exact: true }).selectOption("custom");
    await page.getByLabel("Provider's model name").fill(model);
    await page.getByLabel("Secret scope", { exact: true }).selectOption(scope);
    await page.getByLabel("Secret key", { exact: true }).selectOption("upstream");
    await page
      .getByLabel("Other provider settings (JSON object)")
      .fill(JSON.stringify({ custom_provider_url: `${e2e().mockUrl}/v1` }));
    // The form refuses a split that does not sum to 100 before anything is sent.
    await page.getByLabel("Traffic (%)").fill("90");
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("must sum to 100");
    await page.getByLabel("Traffic (%)").fill("100");
    await page.getByRole("checkbox", { name: /Fallbacks/ }).check();
    await expectAccessible(page, "the create form");
    await screenshot(page, "create-endpoint");
    await page.getByRole("button", { name: "Create endpoint" }).click();

    // The page goes to the build log and polls until the deployment is done.
    await page.waitForURL(`**/endpoints/${endpointName}/logs`);
    await page.getByText("Ready", { exact: true }).waitFor({ timeout: 90_000 });
    await expect.poll(() => page.getByText("Updating").count(), { timeout: 30_000 }).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByTestId("build-log").first().textContent()).not.toBe("(empty)");
    await expectAccessible(page, "the logs tab");
    await screenshot(page, "endpoint-logs");

    const stored = await ok(api("GET", `/api/2.0/serving-endpoints/${endpointName}`));
    expect(stored.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
    expect(stored.config.served_entities[0].external_model.custom_provider_config.bearer_token_auth.token).toBe(
      `{{secrets/${scope}/upstream}}`,
    );
    expect(stored.ai_gateway.fallback_config).toEqual({ enabled: true });
  });

  it("is queried from its page, with ready-to-run examples that hold no token", async () => {
    await page.goto(`/endpoints/${endpointName}/query`);
    await page.getByRole("button", { name: "Send request" }).click();
    const response = page.getByTestId("query-response");
    await expect.poll(() => response.textContent(), { timeout: 30_000 }).toContain('"choices"');
    for (const language of ["curl", "python", "typescript"]) {
      await page.getByLabel("Language").selectOption(language);
      const snippet = (await page.getByTestId("query-snippet").textContent()) ?? "";
      expect(snippet).toContain("DATABRICKS_TOKEN");
      expect(snippet).not.toContain(e2e().adminToken);
    }
    await expectAccessible(page, "the query tab");
    await screenshot(page, "endpoint-query");
  });

  it("shows the queries in the metrics charts, which move as more arrive", async () => {
    await page.goto(`/endpoints/${endpointName}/metrics`);
    const before = await expect
      .poll(() => chartColumnSum(page, "Requests and errors", 1), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(1)
      .then(() => chartColumnSum(page, "Requests and errors", 1));
    for (let i = 0; i < 3; i++)
      await ok(
        api("POST", `/serving-endpoints/${endpointName}/invocations`, {
          body: { messages: [{ role: "user", content: `again ${i}` }] },
        }),
      );
    // The tab refreshes itself: no reload.
    await expect
      .poll(() => chartColumnSum(page, "Requests and errors", 1), { timeout: 60_000, interval: 2000 })
      .toBeGreaterThanOrEqual(before + 3);
    expect(await chartColumnSum(page, "Tokens", 1)).toBeGreaterThan(0);
    await expectAccessible(page, "the metrics tab (tables)");
    // Back to the charts for the screenshot.
    for (const name of ["Requests and errors", "Tokens"])
      await page.getByRole("figure", { name }).getByRole("button", { name: "Show chart" }).click();
    await screenshot(page, "endpoint-metrics");
    await expectAccessible(page, "the metrics tab (charts)");
  });

  it("passes axe on every section of the endpoint page, the list and the Playground", async () => {
    for (const tab of ["", "/usage", "/payload-logs", "/permissions"]) {
      await page.goto(`/endpoints/${endpointName}${tab}`);
      await page.getByRole("heading", { level: 2 }).first().waitFor();
      await expectAccessible(page, `the endpoint page${tab || " (overview)"}`);
    }
    await screenshot(page, "endpoint-permissions");
    await page.goto(`/endpoints/${endpointName}`);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await screenshot(page, "endpoint-overview");
    await page.goto(`/endpoints?q=${endpointName}`);
    await page.getByRole("link", { name: endpointName }).waitFor();
    await expectAccessible(page, "the endpoints list");
    await screenshot(page, "endpoints");
    await page.goto("/playground");
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await expectAccessible(page, "the Playground");
  });

  it("in dark mode too (the theme follows the system)", async () => {
    const dark = await newPage(browser, "dark");
    await signIn(dark, e2e().adminToken, `/endpoints/${endpointName}/metrics`);
    await dark.getByRole("figure", { name: "Latency" }).waitFor();
    const background = await dark.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(background).toBe("rgb(20, 23, 28)");
    await expectAccessible(dark, "the metrics tab in dark mode");
    await screenshot(dark, "endpoint-metrics-dark");
    await dark.context().close();
  });
});

describe("a caller with CAN_QUERY only", () => {
  it("sees no edit controls, and the API refuses the edit anyway", async () => {
    const sp = await servicePrincipalToken("console browser test");
    const endpoint = await ok(api("GET", `/api/2.0/serving-endpoints/${endpointName}`));
    await ok(
      api("PATCH", `/api/2.0/permissions/serving-endpoints/${endpoint.id}`, {
        body: {
          access_control_list: [{ service_principal_name: sp.applicationId, permission_level: "CAN_QUERY" }],
        },
      }),
    );
    const querier = await newPage(browser);
    await signIn(querier, sp.token, `/endpoints/${endpointName}`);
    await querier.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await querier.getByText("CAN_QUERY").count()).toBeGreaterThan(0);
    expect(await querier.getByRole("link", { name: "Edit configuration" }).count()).toBe(0);
    expect(await querier.getByRole("button", { name: "Delete" }).count()).toBe(0);
    await querier.goto(`/endpoints/${endpointName}/permissions`);
    await querier.getByRole("heading", { name: "Permissions" }).waitFor();
    expect(await querier.getByRole("button", { name: "Grant" }).count()).toBe(0);
    // It may still query.
    await querier.goto(`/endpoints/${endpointName}/query`);
    await querier.getByRole("button", { name: "Send request" }).click();
    await expect
      .poll(() => querier.getByTestId("query-response").textContent(), { timeout: 30_000 })
      .toContain('"choices"');
    // Opening the edit page directly shows the form, but saving is the API's call: it refuses.
    const refused = await api("PUT", `/api/2.0/serving-endpoints/${endpointName}/config`, {
      token: sp.token,
      body: stored(endpoint),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error_code).toBe("PERMISSION_DENIED");
    await querier.context().close();
  });
});

/** The endpoint's config as a PUT …/config body. */
function stored(endpoint: any) {
  return { served_entities: endpoint.config.served_entities, traffic_config: endpoint.config.traffic_config };
}
