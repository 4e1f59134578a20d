import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../index";
import { ADMIN_TOKEN, call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint, waitUntilSettled } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

/** The endpoint's config with its credential replaced by `token`. */
function configWithToken(name: string, token: string) {
  const config = customChatEndpoint(name).config;
  config.served_entities[0]!.external_model.custom_provider_config.bearer_token_auth = { token_plaintext: token };
  return config;
}

async function putConfigDirectly(name: string, config: unknown): Promise<{ status: number; text: string; json: any }> {
  const ctx = createExecutionContext();
  const request = new Request(`https://edgeserve.test/api/2.0/serving-endpoints/${name}/config`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(config),
  });
  const response = await worker.fetch(request, env, ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, text, json: JSON.parse(text) };
}

describe("PUT …/config under concurrency", () => {
  it(
    "lets exactly one of several simultaneous updates through; the " +
      "others get 409 and the winner's credentials are the ones used",
    async () => {
      await createReadyEndpoint(customChatEndpoint("race"));
      const racers = 6;
      // The worker's fetch called directly (not through SELF, whose dispatch lets one request run ahead of the
      // rest): every request is in flight at once and they interleave at each D1 round trip, as concurrent
      // requests in one isolate do in production.
      const answers = await Promise.all(
        Array.from({ length: racers }, (_, i) => putConfigDirectly("race", configWithToken("race", `sk-racer-${i}`))),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses, answers.map((a) => a.text).join("\n")).toEqual([200, ...Array(racers - 1).fill(409)]);
      for (const lost of answers.filter((a) => a.status === 409)) {
        expect(lost.json).toMatchObject({ error_code: "RESOURCE_CONFLICT" });
        expect(lost.json.message).toContain("currently being updated");
      }
      const winner = answers.findIndex((a) => a.status === 200);
      expect(answers[winner]!.json.pending_config.config_version).toBe(2);

      const settled = await waitUntilSettled("race");
      expect(settled.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
      expect(settled.config.config_version).toBe(2);

      upstream = fakeOpenAiUpstream();
      const query = await call("POST", "/serving-endpoints/race/invocations", {
        body: { messages: [{ role: "user", content: "hi" }] },
      });
      expect(query.status, query.text).toBe(200);
      expect(upstream.calls.map((c) => c.headers.authorization)).toEqual([`Bearer sk-racer-${winner}`]);
    },
  );

  it("refuses an update while one is in flight, and accepts the next one once it is done", async () => {
    await createReadyEndpoint(customChatEndpoint("serial"));
    const first = await call("PUT", "/api/2.0/serving-endpoints/serial/config", {
      body: configWithToken("serial", "sk-first"),
    });
    expect(first.status, first.text).toBe(200);
    const during = await call("PUT", "/api/2.0/serving-endpoints/serial/config", {
      body: configWithToken("serial", "sk-during"),
    });
    expect(during.status).toBe(409);
    await waitUntilSettled("serial");
    const after = await call("PUT", "/api/2.0/serving-endpoints/serial/config", {
      body: configWithToken("serial", "sk-after"),
    });
    expect(after.status, after.text).toBe(200);
    expect(after.json.pending_config.config_version).toBe(3);
    const settled = await waitUntilSettled("serial");
    expect(settled.config.config_version).toBe(3);

    upstream = fakeOpenAiUpstream();
    const query = await call("POST", "/serving-endpoints/serial/invocations", {
      body: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(query.status, query.text).toBe(200);
    expect(upstream.calls.map((c) => c.headers.authorization)).toEqual(["Bearer sk-after"]);
  });
});
