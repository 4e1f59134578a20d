/**
 * The console's operations in Chromium against the running stack and the mock upstream: roll an endpoint back
 * to an earlier config_version from its Versions tab, save token and per-principal rate limits and guardrails
 * through the form (refused first with the API's own message), and search payload logs on the server, paging.
 */
import crypto from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  createMockEndpoint,
  e2e,
  type MockEndpoint,
  mockAccepts,
  mockRequests,
  ok,
  uniqueName,
  waitUntilReady,
} from "../e2e/helpers";
import { expectAccessible, launchChromium, newPage, signIn } from "./browser";

let browser: Browser;
let page: Page;
let target: MockEndpoint;
let classifier: MockEndpoint;

beforeAll(async () => {
  [target, classifier] = [
    await createMockEndpoint("llm/v1/chat", { prefix: "ops" }),
    await createMockEndpoint("llm/v1/chat", { prefix: "ops-guard" }),
  ];
  await ok(
    api("PUT", `/api/2.0/serving-endpoints/${target.name}/ai-gateway`, {
      body: { inference_table_config: { enabled: true } },
    }),
  );
  browser = await launchChromium();
  page = await newPage(browser);
  // "Roll back" asks for confirmation.
  page.on("dialog", (dialog) => void dialog.accept());
  await signIn(page, e2e().adminToken);
});
afterAll(async () => {
  await browser?.close();
});

/** PUT …/config body from GET's config (what only the API sets left out). */
function configInput(config: any) {
  return {
    served_entities: config.served_entities.map(
      ({ state: _s, creator: _c, creation_timestamp: _t, ...entity }: any) => entity,
    ),
    traffic_config: config.traffic_config,
  };
}

describe("the Versions tab", () => {
  it("shows the configs served, the diff against the current one, and rolls back as a new version", async () => {
    const v1 = await ok(api("GET", `/api/2.0/serving-endpoints/${target.name}`));
    const secondModel = uniqueName("ops-second-model");
    const v2body = configInput(v1.config);
    v2body.served_entities[0].external_model.name = secondModel;
    await ok(api("PUT", `/api/2.0/serving-endpoints/${target.name}/config`, { body: v2body }));
    expect((await waitUntilReady(target.name)).config.config_version).toBe(2);

    await page.goto(`/endpoints/${target.name}/versions`);
    const rows = page.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain("Version 2 (current)");
    await page.getByRole("button", { name: "Version 1", exact: true }).click();
    const diff = page.locator("pre.diff");
    expect(await diff.locator(".removed").allTextContents()).toEqual([expect.stringContaining(secondModel)]);
    expect(await diff.locator(".added").allTextContents()).toEqual([expect.stringContaining(target.model)]);
    await expectAccessible(page, "the Versions tab");

    await page.getByRole("button", { name: "Roll back to version 1" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("config version 3");
    // The page polls while the rollback deploys, then lists it as current.
    await expect.poll(() => rows.nth(0).textContent(), { timeout: 60_000 }).toContain("Version 3 (current)");
    const rolledBack = await waitUntilReady(target.name);
    expect(rolledBack.config.config_version).toBe(3);
    expect(rolledBack.config.served_entities[0].external_model.name).toBe(target.model);
    // It answers with version 1's model again.
    const before = (await mockRequests({ model: target.model })).length;
    await ok(
      api("POST", `/serving-endpoints/${target.name}/invocations`, {
        body: { messages: [{ role: "user", content: "after the rollback" }] },
      }),
    );
    expect((await mockRequests({ model: target.model })).length).toBe(before + 1);
  });
});

describe("the create form's AI Gateway section", () => {
  it("saves token and per-principal rate limits and both guardrail directions, with the API's messages", async () => {
    const name = uniqueName("ops-form");
    const scope = uniqueName("ops-scope");
    const upstreamToken = `sk-${crypto.randomBytes(16).toString("hex")}`;
    await mockAccepts("authorization", `Bearer ${upstreamToken}`);
    await ok(api("POST", "/api/2.0/secrets/scopes/create", { body: { scope } }));
    await ok(api("POST", "/api/2.0/secrets/put", { body: { scope, key: "upstream", string_value: upstreamToken } }));

    await page.goto("/endpoints/new");
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Provider", { exact: true }).selectOption("custom");
    await page.getByLabel("Provider's model name").fill(uniqueName("ops-form-model"));
    await page.getByLabel("Secret scope", { exact: true }).selectOption(scope);
    await page.getByLabel("Secret key", { exact: true }).selectOption("upstream");
    await page
      .getByLabel("Other provider settings (JSON object)")
      .fill(JSON.stringify({ custom_provider_url: `${e2e().mockUrl}/v1` }));

    await page.getByRole("button", { name: "Add rate limit" }).click();
    await page.getByLabel("Applies to").selectOption("endpoint");
    await page.getByLabel("Principal (user name, group, or service principal id)").fill("someone");
    await page.getByLabel("Tokens per minute").fill("5000");
    // Refused before anything is sent, in the words PUT …/ai-gateway would use.
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await expect
      .poll(() => page.getByRole("alert").first().textContent())
      .toContain("Invalid value for 'rate_limits[0].principal': is not allowed when key is 'endpoint'.");
    expect((await api("GET", `/api/2.0/serving-endpoints/${name}`)).status).toBe(404);
    await page.getByLabel("Principal (user name, group, or service principal id)").fill("");

    await page.getByRole("button", { name: "Add rate limit" }).click();
    const second = page.getByRole("group", { name: "Rate limit 2" });
    await second.getByLabel("Applies to").selectOption("user_group");
    await second.getByLabel("Principal (user name, group, or service principal id)").fill("users");
    await second.getByLabel("Calls per minute").fill("20");
    await page.getByRole("button", { name: "Add rate limit" }).click();
    const third = page.getByRole("group", { name: "Rate limit 3" });
    await third.getByLabel("Applies to").selectOption("service_principal");
    await third.getByLabel("Calls per minute").fill("7");
    await third.getByLabel("Tokens per minute").fill("900");

    const input = page.getByRole("group", { name: "Guardrails on requests" });
    await input.getByRole("checkbox", { name: /Safety/ }).check();
    await input.getByLabel(/Safety classifier endpoint/).fill(classifier.name);
    await input.getByLabel("Personal data in requests").selectOption("BLOCK");
    await input.getByLabel(/Refused keywords/).fill("forbidden-word\nsecret project");
    const output = page.getByRole("group", { name: "Guardrails on responses" });
    await output.getByLabel("Personal data in responses").selectOption("MASK");
    await output.getByLabel(/Refused keywords/).fill("internal-only");
    await expectAccessible(page, "the create form with rate limits and guardrails");

    await page.getByRole("button", { name: "Create endpoint" }).click();
    await page.waitForURL(`**/endpoints/${name}/logs`);
    const stored = await waitUntilReady(name);
    expect(stored.ai_gateway).toEqual({
      usage_tracking_config: { enabled: true },
      inference_table_config: { enabled: false },
      rate_limits: [
        { tokens: 5000, key: "endpoint", renewal_period: "minute" },
        { calls: 20, key: "user_group", principal: "users", renewal_period: "minute" },
        { calls: 7, tokens: 900, key: "service_principal", renewal_period: "minute" },
      ],
      guardrails: {
        input: {
          safety: true,
          safety_endpoint_name: classifier.name,
          pii: { behavior: "BLOCK" },
          invalid_keywords: ["forbidden-word", "secret project"],
        },
        output: { pii: { behavior: "MASK" }, invalid_keywords: ["internal-only"] },
      },
    });

    // The edit form reads every one of them back.
    await page.goto(`/endpoints/${name}/edit`);
    await expect.poll(() => page.getByLabel("Tokens per minute").first().inputValue()).toBe("5000");
    const editInput = page.getByRole("group", { name: "Guardrails on requests" });
    expect(await editInput.getByLabel(/Refused keywords/).inputValue()).toBe("forbidden-word\nsecret project");
    expect(await editInput.getByLabel(/Safety classifier endpoint/).inputValue()).toBe(classifier.name);
  });
});

describe("the payload-log tab's search", () => {
  it("runs on the server: finds one record among many by text, by request id, by status, and pages", async () => {
    const since = Date.now() - 1;
    const marker = `needle-${crypto.randomBytes(4).toString("hex")}`;
    const query = (content: string) =>
      ok(
        api("POST", `/serving-endpoints/${target.name}/invocations`, {
          body: { messages: [{ role: "user", content }] },
        }),
      );
    // 52 first: more than one page (50) of the console's list. The needle comes last, so it is on no first page
    // but a search's: a search of the loaded page only would miss it.
    for (let i = 0; i < 52; i += 4) await Promise.all([0, 1, 2, 3].map((j) => query(`haystack ${i + j}`)));
    await query(`the one with ${marker} in it`);
    let logged: any[] = [];
    for (const deadline = Date.now() + 60_000; logged.length < 53 && Date.now() < deadline; ) {
      logged = (
        await ok(
          api("GET", `/api/2.0/serving-endpoints/${target.name}/payload-logs?start_time=${since}&max_results=1000`),
        )
      ).payload_logs;
      if (logged.length < 53) await new Promise((r) => setTimeout(r, 500));
    }
    expect(logged.length).toBe(53);
    const needle = logged.find((r) => r.request?.includes(marker));

    await page.goto(`/endpoints/${target.name}/payload-logs`);
    const rows = page.locator("tbody tr");
    const search = page.getByRole("form", { name: "Search payload logs" });
    await search.getByLabel("Text in request, response or requester").fill(marker);
    await search.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(needle.databricks_request_id)]);

    await search.getByLabel("Text in request, response or requester").fill("");
    await search.getByLabel("Request id").fill(needle.databricks_request_id);
    await search.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(needle.databricks_request_id)]);

    await search.getByLabel("Request id").fill("");
    await search.getByLabel("Status").selectOption("error");
    await search.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining("No matches")]);

    // "haystack" matches 52 records: pages of at most 50 (shorter where a call's read budget ended), each once.
    await search.getByLabel("Status").selectOption("success");
    await search.getByLabel("Text in request, response or requester").fill("haystack");
    await search.getByRole("button", { name: "Search" }).click();
    const next = page.getByRole("button", { name: "Next page" });
    // Wait for this search's first page to replace the last one's "No matches" (a page may also be empty
    // while more follow, when a call's read budget ran out: then Next is enabled).
    await expect
      .poll(async () => !(await rows.first().textContent())?.startsWith("No matches") || (await next.isEnabled()))
      .toBe(true);
    const seen: string[] = [];
    for (let pageNumber = 0; pageNumber < 10; pageNumber++) {
      await expect.poll(() => rows.first().textContent()).not.toBe("");
      const texts = (await rows.allTextContents()).filter((t) => !t.startsWith("No matches"));
      expect(texts.length).toBeLessThanOrEqual(50);
      seen.push(...texts);
      if (await next.isDisabled()) break;
      const first = await rows.first().textContent();
      await next.click();
      await expect.poll(() => rows.first().textContent()).not.toBe(first);
    }
    expect(seen).toHaveLength(52);
    expect(new Set(seen).size).toBe(52);
    expect(seen.some((t) => t.includes(needle.databricks_request_id))).toBe(false);
    expect(await page.getByRole("button", { name: "Previous page" }).isEnabled()).toBe(true);
    await expectAccessible(page, "the payload-log tab with a search");
  });
});
