/**
 * Provisioned throughput on the e2e stack (test/global-setup.ts gives databricks-meta-llama-3-1-8b-instruct, on
 * the mock OpenAI-compatible server, 1000 tokens/s of capacity): docs/foundation-models.md's worked example run
 * as written with curl, then the band's admission through the openai SDK (real Upstash bridge and redis-server).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { api, e2e, mockRequests, uniqueName, waitUntilReady } from "./helpers";

function runScript(script: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      "bash",
      ["-euo", "pipefail", "-c", script],
      { env: { ...process.env, HOST: e2e().url, TOKEN: e2e().adminToken }, timeout: 120_000 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
}

describe("docs/foundation-models.md provisioned-throughput worked example", () => {
  it("runs as written: chunk size, a provisioned endpoint created, queried and deleted", async () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/foundation-models.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Provisioned throughput"));
    const start = section.indexOf("```sh\n") + 6;
    const script = section.slice(start, section.indexOf("\n```", start));
    // HOST and TOKEN come from the e2e stack instead of the local dev stack's files.
    const stdout = await runScript(script.replace(/^export HOST=.*$/m, ""));
    const [info, answer, deleted] = stdout.trim().split("\n");
    expect(JSON.parse(info!)).toEqual({ optimizable: true, model_type: "llama", throughput_chunk_size: 100 });
    expect(JSON.parse(answer!).choices[0].message.content).toBe("Echo: Hello provisioned");
    expect(JSON.parse(deleted!)).toEqual({});
    expect((await api("GET", "/api/2.0/serving-endpoints/llama-8b-provisioned")).status).toBe(404);
  });
});

describe("a provisioned endpoint on the e2e stack", () => {
  it("is admitted up to its band through the openai SDK, then 429 with Retry-After", async () => {
    const name = uniqueName("pt");
    const created = await api("POST", "/api/2.0/serving-endpoints", {
      body: {
        name,
        config: {
          served_entities: [
            { entity_name: "system.ai.meta_llama_v3_1_8b_instruct", entity_version: "1", provisioned_model_units: 1 },
          ],
        },
      },
    });
    expect(created.status).toBe(200);
    try {
      const ready = await waitUntilReady(name);
      expect(ready.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
      const client = new OpenAI({ baseURL: `${e2e().url}/serving-endpoints`, apiKey: e2e().adminToken, maxRetries: 0 });
      // One unit = 100 tokens/s = 1000 tokens per 10 s window; each query reserves its prompt + 600, so of four
      // sent at once one fits a window (two if they straddle a window boundary).
      const outcomes = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          client.chat.completions
            .create({ model: name, messages: [{ role: "user", content: `provisioned ${i}` }], max_tokens: 600 })
            .then(
              (answer) => ({ ok: answer.choices[0]!.message.content }),
              (e: { status: number; message: string; headers: Headers }) => ({
                status: e.status,
                message: e.message,
                retryAfter: Number(e.headers.get("retry-after")),
              }),
            ),
        ),
      );
      const admitted = outcomes.filter((o) => "ok" in o);
      const refused = outcomes.filter((o) => "status" in o);
      expect(admitted.length).toBeGreaterThanOrEqual(1);
      expect(admitted.length).toBeLessThanOrEqual(2);
      for (const r of refused) {
        expect(r).toMatchObject({ status: 429 });
        expect((r as { message: string }).message).toContain("provisioned throughput of 100 tokens/s");
        expect((r as { retryAfter: number }).retryAfter).toBeGreaterThanOrEqual(1);
        expect((r as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(10);
      }
      const sent = (await mockRequests({ model: "local-llama-3.1-8b" })).at(-1)!;
      expect((sent.body as { max_tokens: number }).max_tokens).toBe(600);
    } finally {
      await api("DELETE", `/api/2.0/serving-endpoints/${name}`);
    }
  });
});
