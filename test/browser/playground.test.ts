import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { playgroundLinkOfPayloadLog } from "../../packages/console/src/playground/payload-log-link";
import type { FaultRequest } from "../mocks/fault-upstream";
import { api, createMockEndpoint, e2e, mockRequests, ok, sseData, uniqueName, waitUntilReady } from "../e2e/helpers";
import { expectAccessible, launchChromium, newPage, screenshot, signIn } from "./browser";

/**
 * The AI Playground in Chromium against the e2e stack: chat endpoints on the mock upstream (one per pane) and
 * one on the fault upstream's `slow-body` model, whose stream drips a word every 700 ms (for Stop and Esc).
 */
const run = promisify(execFile);
let browser: Browser;
const fast: string[] = [];
const fastModels: string[] = [];
let slow = "";
const slowModel = `fault-slow-body-${uniqueName("pg")}`;

beforeAll(async () => {
  browser = await launchChromium();
  for (let i = 0; i < 3; i++) {
    const endpoint = await createMockEndpoint("llm/v1/chat", { prefix: `pg${i + 1}`, wait: false });
    fast.push(endpoint.name);
    fastModels.push(endpoint.model);
  }
  slow = uniqueName("pg-slow");
  await ok(
    api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name: slow,
        config: {
          served_entities: [
            {
              name: "slow",
              external_model: {
                name: slowModel,
                provider: "custom",
                task: "llm/v1/chat",
                custom_provider_config: {
                  custom_provider_url: `${e2e().faultUrl}/v1`,
                  bearer_token_auth: { token_plaintext: "sk-fault-playground" },
                },
              },
            },
          ],
        },
      },
    }),
  );
  for (const name of [...fast, slow]) await waitUntilReady(name);
});
afterAll(async () => {
  await browser?.close();
});

async function openPlayground(hash = ""): Promise<Page> {
  const page = await newPage(browser);
  await signIn(page, e2e().adminToken, `/playground${hash}`);
  await page.getByRole("heading", { name: "Playground", level: 1 }).waitFor();
  return page;
}

const pane = (page: Page, n: number): Locator => page.getByRole("region", { name: `Pane ${n}`, exact: true });

async function choose(page: Page, n: number, endpoint: string) {
  const select = page.getByLabel(`Endpoint of pane ${n}`);
  // Options come with the endpoints list (Preact sets their value as a property, not an attribute).
  await select.locator("option", { hasText: endpoint }).waitFor({ state: "attached" });
  await select.selectOption(endpoint);
}

async function waitForStatus(p: Locator, status: RegExp) {
  await expect.poll(() => p.locator(".pg-status").textContent(), { timeout: 30_000 }).toMatch(status);
}

describe("the AI Playground", () => {
  it(
    "streams a reply with its metrics and inspector, " + "rendering Markdown without running the model's HTML",
    async () => {
      const page = await openPlayground();
      // Only chat endpoints are offered: the mock endpoints are, and an endpoint list filtered the same way.
      await choose(page, 1, fast[0]!);
      const prompt = '**bold** <img src=x onerror="window.__pwned=1"> [click](javascript:window.__pwned=2)';
      await page.getByLabel("Prompt", { exact: true }).fill(prompt);
      await page.getByRole("button", { name: "Send", exact: true }).click();
      const p1 = pane(page, 1);
      await waitForStatus(p1, /^Done \(stop\)\.$/);

      const reply = p1.locator(".pg-assistant").last();
      expect(await reply.locator("strong").textContent()).toBe("bold");
      // The model's HTML is text; its javascript: link is not a link.
      expect(await reply.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
      expect(await page.locator(".pg-conversation img").count()).toBe(0);
      expect(await reply.locator("a").count()).toBe(0);
      expect(await page.evaluate("window.__pwned")).toBeUndefined();

      // The stream was streamed (several frames), and its usage gave the token numbers.
      const sent = await mockRequests({ model: fastModels[0] });
      expect(sent.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
      expect(await p1.locator('[data-metric="tokens"]').textContent()).toMatch(/^\d+ in \/ \d+ out$/);
      expect(await p1.locator('[data-metric="ttft"]').textContent()).toMatch(/\d+ (ms|s)$/);
      expect(await p1.locator('[data-metric="tokens-per-second"]').textContent()).toMatch(/^\d/);
      await p1.locator("summary", { hasText: "Inspect response" }).click();
      expect(await p1.locator("[data-request-id]").textContent()).toMatch(/\S{8,}/);
      const frames = (await p1.locator(".pg-frames").textContent()) ?? "";
      expect(frames).toContain("chat.completion.chunk");
      expect(frames.trimEnd().endsWith("[DONE]")).toBe(true);

      // Regenerate asks again with the same history; edit changes the question and drops what followed.
      await p1.getByRole("button", { name: "Regenerate pane 1" }).click();
      await waitForStatus(p1, /^Done/);
      expect(await p1.locator(".pg-user").count()).toBe(1);
      await p1.getByRole("button", { name: "Edit message 1" }).click();
      await p1.getByLabel("Edit your message").fill("edited question");
      await p1.getByRole("button", { name: "Save and resend" }).click();
      await expect.poll(() => p1.locator(".pg-assistant").last().textContent()).toContain("Echo: edited question");
      expect(await p1.locator(".pg-message").count()).toBe(2);

      await expectAccessible(page, "the Playground after a reply");
      await page.context().close();
    },
  );

  it(
    "compares three endpoints with synced settings and " + "shares the comparison as a link without the token",
    async () => {
      const page = await openPlayground();
      await page.getByRole("button", { name: "Add pane to compare" }).click();
      await page.getByRole("button", { name: "Add pane to compare" }).click();
      expect(await page.getByRole("button", { name: "Add pane to compare" }).isDisabled()).toBe(true);
      for (let n = 1; n <= 3; n++) await choose(page, n, fast[n - 1]!);
      await page.locator("summary", { hasText: "Settings (every pane)" }).click();
      await page.getByLabel("Temperature").fill("0.3");
      await page.getByLabel("System prompt").fill("Answer briefly.");
      await page.getByLabel("Prompt", { exact: true }).fill("Which of you is fastest?");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      for (let n = 1; n <= 3; n++) {
        await waitForStatus(pane(page, n), /^Done/);
        expect(await pane(page, n).locator(".pg-assistant").textContent()).toContain("Echo: Which of you is fastest?");
        expect(await pane(page, n).locator('[data-metric="tokens"]').textContent()).toMatch(/out$/);
        const received = (await mockRequests({ model: fastModels[n - 1] })).at(-1)?.body as Record<string, unknown>;
        expect(received).toMatchObject({
          temperature: 0.3,
          messages: [{ role: "system", content: "Answer briefly." }, {}],
        });
      }
      await page.locator("summary", { hasText: "Settings (every pane)" }).click();
      await expectAccessible(page, "the Playground comparing three endpoints");
      await screenshot(page, "playground-compare");

      // Per-pane settings: pane 2 alone gets max_tokens.
      await page.getByLabel("Same settings for every pane").uncheck();
      await pane(page, 2).locator("summary", { hasText: "Settings of pane 2" }).click();
      await pane(page, 2).getByLabel("Max tokens").fill("7");
      await page.getByLabel("Prompt", { exact: true }).fill("Share this comparison");
      await page.getByRole("button", { name: "Copy compare link" }).click();
      const link = await page.getByLabel(/^Compare link/).inputValue();
      const state = Buffer.from(new URL(link).hash.slice("#compare=".length), "base64url").toString();
      expect(state).not.toContain(e2e().adminToken);
      expect(JSON.parse(state)).toMatchObject({ synced: false, prompt: "Share this comparison" });

      // Whoever opens it (signing in with their own token) gets the same panes, settings and prompt.
      const other = await openPlayground(new URL(link).hash);
      for (let n = 1; n <= 3; n++)
        expect(await other.getByLabel(`Endpoint of pane ${n}`).inputValue()).toBe(fast[n - 1]);
      expect(await other.getByLabel("Prompt", { exact: true }).inputValue()).toBe("Share this comparison");
      await pane(other, 2).locator("summary", { hasText: "Settings of pane 2" }).click();
      expect(await pane(other, 2).getByLabel("Max tokens").inputValue()).toBe("7");
      await other.getByRole("button", { name: "Send", exact: true }).click();
      await waitForStatus(pane(other, 2), /^Done/);
      expect((await mockRequests({ model: fastModels[1] })).at(-1)?.body).toMatchObject({ max_tokens: 7 });
      expect((await mockRequests({ model: fastModels[0] })).at(-1)?.body).not.toHaveProperty("max_tokens");
      await other.context().close();
      await page.context().close();
    },
  );

  it("stops one stream while the other pane finishes, and the upstream call is cancelled", async () => {
    const page = await openPlayground();
    await page.getByRole("button", { name: "Add pane to compare" }).click();
    await choose(page, 1, slow);
    await choose(page, 2, fast[0]!);
    await page
      .getByLabel("Prompt", { exact: true })
      .fill("one two three four five six seven eight nine ten eleven twelve");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    const p1 = pane(page, 1);
    await expect.poll(() => p1.locator(".pg-assistant").textContent(), { timeout: 20_000 }).toContain("Echo:");
    await waitForStatus(pane(page, 2), /^Done/);
    await p1.getByRole("button", { name: "Stop pane 1" }).click();
    await waitForStatus(p1, /^Stopped\.$/);
    const kept = (await p1.locator(".pg-assistant").textContent()) ?? "";
    expect(kept).toContain("Echo:");
    expect(kept).not.toContain("twelve");
    expect(await p1.locator('[data-metric="tokens"]').textContent()).toBe("—");
    await screenshot(page, "playground-stopped");
    // The gateway let go of the upstream: its connection closed long before the 13 words' ~9 s.
    const closed = async () => {
      const res = await fetch(`${e2e().faultUrl}/__mock/requests?model=${encodeURIComponent(slowModel)}`);
      return ((await res.json()) as { requests: FaultRequest[] }).requests.at(-1)?.closedAfterMs ?? null;
    };
    await expect.poll(closed, { timeout: 10_000 }).not.toBeNull();
    expect(await closed()).toBeLessThan(8_000);
    await page.context().close();
  });

  it("sends with Ctrl+Enter and stops with Esc, keyboard only", async () => {
    const page = await openPlayground();
    await choose(page, 1, slow);
    // From the skip link to the prompt with Tab alone.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    for (let i = 0; i < 40 && (await page.evaluate("document.activeElement?.id")) !== "pg-prompt"; i++)
      await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.id")).toBe("pg-prompt");
    await page.keyboard.type("alpha beta gamma delta epsilon zeta eta theta");
    await page.keyboard.press("Control+Enter");
    const p1 = pane(page, 1);
    await expect.poll(() => p1.locator(".pg-assistant").textContent(), { timeout: 20_000 }).toContain("Echo:");
    await page.keyboard.press("Escape");
    await waitForStatus(p1, /^Stopped\.$/);
    // The focus stayed in the prompt box, ready for the next question.
    expect(await page.evaluate("document.activeElement?.id")).toBe("pg-prompt");
    await page.context().close();
  });

  it(
    "calls a tool: the streamed call is assembled, its " + "result typed by hand, and the model answers with it",
    async () => {
      // OpenAI's mock calls the first tool given when the model's name holds "tool".
      const name = uniqueName("pg-tools");
      const model = `gpt-tool-${name}`;
      const external_model = {
        name: model,
        provider: "openai",
        task: "llm/v1/chat",
        openai_config: { openai_api_key_plaintext: "sk-playground" },
      };
      await ok(
        api("POST", "/api/2.0/serving-endpoints", {
          body: { name, config: { served_entities: [{ name: "tools", external_model }] } },
        }),
      );
      await waitUntilReady(name);
      const page = await openPlayground();
      await choose(page, 1, name);
      await page.locator("summary", { hasText: "Settings" }).click();
      const tools = page.getByLabel("Tools (JSON Schema)");
      await tools.fill("[{");
      await expect.poll(() => page.locator("#pg-prompt ~ [role=alert]").textContent()).toMatch(/not valid JSON/);
      const city = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
      const weather = { name: "get_weather", description: "The weather in a city", parameters: city };
      await tools.fill(JSON.stringify([{ type: "function", function: weather }]));
      await page.getByLabel("Prompt", { exact: true }).fill("Weather in Oslo?");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      const p1 = pane(page, 1);
      await waitForStatus(p1, /^Done \(tool_calls\)\.$/);
      expect(await p1.getByRole("list", { name: "Tool calls" }).textContent()).toContain("get_weather");

      await p1.getByLabel(/^Result of get_weather/).fill('{"temperature_c": 4}');
      await p1.getByRole("button", { name: "Send tool result" }).click();
      await expect
        .poll(() => p1.locator(".pg-assistant").last().textContent())
        .toContain('Tool result: {"temperature_c": 4}');
      // The second request carried the assembled call and the tool message answering it.
      const res = await fetch(`${e2e().providerMocks.openai}/__mock/requests`);
      type Sent = { role: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] };
      const { requests } = (await res.json()) as { requests: { body: { model?: string; messages?: Sent[] } }[] };
      const messages = requests.filter((r) => r.body?.model === model).at(-1)?.body.messages ?? [];
      const call = messages[1]?.tool_calls?.[0];
      expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
      expect(call?.function.name).toBe("get_weather");
      expect(JSON.parse(call?.function.arguments ?? "")).toHaveProperty("city");
      expect(messages[2]).toMatchObject({ tool_call_id: call?.id, content: '{"temperature_c": 4}' });
      await page.context().close();
    },
  );

  it("opens a logged request in the Playground: its endpoint, system prompt, settings and last question", async () => {
    const name = fast[1]!;
    const ai_gateway = { inference_table_config: { enabled: true } };
    await ok(api("PUT", `/api/2.0/serving-endpoints/${name}/ai-gateway`, { body: ai_gateway }));
    const since = Date.now() - 1;
    const page = await openPlayground();
    await choose(page, 1, name);
    await page.locator("summary", { hasText: "Settings" }).click();
    await page.getByLabel("System prompt").fill("You are logged.");
    await page.getByLabel("Top p").fill("0.5");
    await page.getByLabel("Prompt", { exact: true }).fill("Log this question");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await waitForStatus(pane(page, 1), /^Done/);
    let logs: { request: string | null }[] = [];
    for (const deadline = Date.now() + 30_000; !logs.length && Date.now() < deadline; await sleep(250))
      logs = (await ok(api("GET", `/api/2.0/serving-endpoints/${name}/payload-logs?start_time=${since}`))).payload_logs;
    const link = playgroundLinkOfPayloadLog(name, logs[0]?.request ?? null);
    expect(link).toMatch(/^\/playground#compare=/);

    // From the endpoint's payload logs: open the record, then "Open in the Playground".
    await page.goto(`/endpoints/${name}/payload-logs`);
    await page
      .getByRole("button", { name: /^[0-9a-f-]{36}$/ })
      .first()
      .click();
    const open = page.getByRole("link", { name: "Open in the Playground" });
    expect(await open.getAttribute("href")).toBe(link);
    await open.click();
    await page.getByRole("heading", { name: "Playground", level: 1 }).waitFor();
    expect(await page.getByLabel("Endpoint of pane 1").inputValue()).toBe(name);

    const other = await openPlayground(link!.slice("/playground".length));
    expect(await other.getByLabel("Endpoint of pane 1").inputValue()).toBe(name);
    expect(await other.getByLabel("Prompt", { exact: true }).inputValue()).toBe("Log this question");
    await other.locator("summary", { hasText: "Settings" }).click();
    expect(await other.getByLabel("System prompt").inputValue()).toBe("You are logged.");
    expect(await other.getByLabel("Top p").inputValue()).toBe("0.5");
    await other.context().close();
    await page.context().close();
  });

  it(
    "exports the exact request as curl, Python and TypeScript, " + "and the curl and TypeScript run against the stack",
    async () => {
      const page = await openPlayground();
      await choose(page, 1, fast[2]!);
      await page.locator("summary", { hasText: "Settings" }).click();
      await page.getByLabel("Max tokens").fill("64");
      await page.locator("summary", { hasText: "Settings" }).click();
      await page.getByLabel("Prompt", { exact: true }).fill("Exported 'quotes' and $HOME");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      const p1 = pane(page, 1);
      await waitForStatus(p1, /^Done/);
      const sent = (await mockRequests({ model: fastModels[2] })).at(-1)?.body;
      await p1.locator("summary", { hasText: "Export request" }).click();
      const snippet = async (tab: string, language: string) => {
        await p1.getByRole("tab", { name: tab }).click();
        return (await p1.locator(`[data-snippet="${language}"]`).textContent()) ?? "";
      };
      const env = { ...process.env, DATABRICKS_TOKEN: e2e().adminToken };

      const curl = await snippet("curl", "curl");
      expect(curl).not.toContain(e2e().adminToken);
      const curlOut = await run("bash", ["-c", curl], { env });
      const events = sseData(curlOut.stdout);
      expect(events.at(-1)).toBe("[DONE]");
      const streamed = events
        .map((e) => (e as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? "")
        .join("");
      expect(streamed).toBe("Echo: Exported 'quotes' and $HOME");
      // The upstream got the same body from the exported curl as from the Playground.
      expect((await mockRequests({ model: fastModels[2] })).at(-1)?.body).toEqual(sent);

      const typescript = await snippet("TypeScript (openai)", "typescript");
      expect(typescript).not.toContain(e2e().adminToken);
      // Run as an ES module from test/ (where the openai package is installed), as a user runs it with node.
      const child = execFile("node", ["--input-type=module"], { env, cwd: import.meta.dirname });
      child.stdin?.end(typescript);
      let stdout = "";
      child.stdout?.on("data", (d) => (stdout += d));
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code).toBe(0);
      expect(stdout).toContain("Echo: Exported 'quotes' and $HOME");
      expect((await mockRequests({ model: fastModels[2] })).at(-1)?.body).toEqual(sent);
      // And it type-checks against the SDK's types (TypeScript skips dot-files in the repo's own typecheck).
      const file = path.join(import.meta.dirname, ".exported-snippet.ts");
      fs.writeFileSync(file, typescript);
      try {
        const tsc = path.resolve(import.meta.dirname, "../../node_modules/typescript/bin/tsc");
        const flags = ["--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--skipLibCheck"];
        await run(process.execPath, [tsc, ...flags, "--moduleResolution", "bundler", "--types", "node", file]);
      } finally {
        fs.rmSync(file, { force: true });
      }

      const python = await snippet("Python (openai)", "python");
      expect(python).toContain("max_tokens=64,");
      // CI has no openai package for Python: the snippet is checked to be valid Python.
      await run("/usr/bin/python3", ["-c", "import ast, sys; ast.parse(sys.argv[1])", python]);
      await expectAccessible(page, "the Playground's export panel");
      await p1.locator("summary", { hasText: "Export request" }).scrollIntoViewIfNeeded();
      await screenshot(page, "playground");
      await page.context().close();
    },
  );
});
