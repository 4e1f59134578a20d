import { env } from "cloudflare:workers";
import { openDatabase, secretScopes } from "@edgeserve/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { eventually } from "../../test/eventually";
import { createUserWithToken } from "../../test/principals";
import { readPrometheus } from "../../test/prometheus";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

const NAME = "reused-name";
const OLD_KEY = "sk-old-endpoint-key-1111";
const NEW_KEY = "sk-new-endpoint-key-2222";
const OLD_PROMPT = "the old tenant's prompt: call alice at +44 20 7946 0958";

/** The endpoint as its owner creates it: payload logging and usage tracking on, its own model name and key. */
function endpointOf(model: string, key: string) {
  const body = customChatEndpoint(NAME, {
    ai_gateway: {
      inference_table_config: { catalog_name: "main", schema_name: "logs", enabled: true },
      usage_tracking_config: { enabled: true },
    },
  });
  const entity = body.config.served_entities[0]!.external_model;
  entity.name = model;
  entity.custom_provider_config.bearer_token_auth.token_plaintext = key;
  return body;
}

const chat = (content: string) => ({ messages: [{ role: "user", content }] });
const since = Date.now() - 1;
const read = (path: string, token: string) => call("GET", `/api/2.0/serving-endpoints/${NAME}${path}`, { token });

describe("an endpoint name reused after DELETE", () => {
  it(
    "gives the new endpoint nothing of the old one: payload logs, " +
      "usage, metrics, build and service logs, permissions, secrets",
    async () => {
      const alice = await createUserWithToken("alice@reuse.example");
      const bob = await createUserWithToken("bob@reuse.example");
      const carol = await createUserWithToken("carol@reuse.example");

      // Alice's endpoint: she and carol (CAN_QUERY) use it; one upstream failure puts a line in its service log.
      const old = await createReadyEndpoint(endpointOf("gpt-old", OLD_KEY), alice.token);
      const grant = await call("PATCH", `/api/2.0/permissions/serving-endpoints/${old.id}`, {
        token: alice.token,
        body: { access_control_list: [{ user_name: "carol@reuse.example", permission_level: "CAN_QUERY" }] },
      });
      expect(grant.status, grant.text).toBe(200);
      upstream = fakeOpenAiUpstream();
      expect(
        (await call("POST", `/serving-endpoints/${NAME}/invocations`, { body: chat(OLD_PROMPT), token: alice.token }))
          .status,
      ).toBe(200);
      expect(
        (await call("POST", `/serving-endpoints/${NAME}/invocations`, { body: chat(OLD_PROMPT), token: carol.token }))
          .status,
      ).toBe(200);
      upstream.restore();
      upstream = fakeOpenAiUpstream({ status: 500 });
      expect(
        (await call("POST", `/serving-endpoints/${NAME}/invocations`, { body: chat(OLD_PROMPT), token: alice.token }))
          .status,
      ).toBe(502);
      upstream.restore();
      upstream = null;

      // Everything of the old endpoint is stored before it is deleted.
      await eventually(
        () => read(`/payload-logs?start_time=${since}`, alice.token),
        (r) => r.json.payload_logs?.length === 3,
      );
      await eventually(
        () => read("/usage?group_by=user", alice.token),
        (r) => r.json.usage?.length === 2,
      );
      await eventually(
        () => read("/metrics", alice.token),
        (r) => readPrometheus(r.text).counter("edgeserve_requests_total", {}) === 3,
      );
      expect((await read("/served-models/primary/logs", alice.token)).json.logs).toContain("BAD_GATEWAY");
      expect(JSON.stringify((await read("/served-models/primary/build-logs", alice.token)).json)).toContain("gpt-old");
      const oldScope = `endpoint-${old.id}`;
      const db = openDatabase(env.DB);
      expect(await db.select().from(secretScopes).where(eq(secretScopes.name, oldScope))).toHaveLength(1);
      const oldObjects = () => env.ARTIFACTS.list({ prefix: `payload-logs/${old.id}/` });
      expect((await oldObjects()).objects.length).toBeGreaterThan(0);

      expect((await call("DELETE", `/api/2.0/serving-endpoints/${NAME}`, { token: alice.token })).status).toBe(200);
      // Bob takes the name.
      const fresh = await createReadyEndpoint(endpointOf("gpt-new", NEW_KEY), bob.token);
      expect(fresh.id).not.toBe(old.id);

      // Payload logs: none of the old endpoint's records (main kept them under the name, so bob read them).
      expect((await read(`/payload-logs?start_time=${since}`, bob.token)).json).toEqual({ payload_logs: [] });
      // Usage, metrics, build and service logs start empty.
      const usage = await read(`/usage?group_by=user&start_time=${since}`, bob.token);
      expect(usage.status, usage.text).toBe(200);
      expect(usage.json.usage).toEqual([]);
      const metrics = await read("/metrics", bob.token);
      expect(metrics.status).toBe(200);
      expect(readPrometheus(metrics.text).counter("edgeserve_requests_total", {})).toBe(0);
      expect((await read("/served-models/primary/logs", bob.token)).json.logs).not.toContain("BAD_GATEWAY");
      const build = JSON.stringify((await read("/served-models/primary/build-logs", bob.token)).json);
      expect(build).toContain("gpt-new");
      expect(build).not.toContain("gpt-old");

      // Permissions: bob's alone; alice (the old creator) and carol (granted on the old one) have none.
      const acl = await call("GET", `/api/2.0/permissions/serving-endpoints/${fresh.id}`, { token: bob.token });
      expect(acl.status, acl.text).toBe(200);
      const names = acl.json.access_control_list.map((e: any) => e.user_name ?? e.group_name);
      expect(names).toContain("bob@reuse.example");
      expect(names).not.toContain("alice@reuse.example");
      expect(names).not.toContain("carol@reuse.example");
      for (const who of [alice, carol]) {
        expect((await read("", who.token)).status).toBe(403);
        expect((await read(`/payload-logs?start_time=${since}`, who.token)).status).toBe(403);
        expect(
          (await call("POST", `/serving-endpoints/${NAME}/invocations`, { body: chat("hi"), token: who.token })).status,
        ).toBe(403);
      }

      // Secrets: the old endpoint's scope went with it, and the new endpoint cannot name it.
      expect(await db.select().from(secretScopes).where(eq(secretScopes.name, oldScope))).toEqual([]);
      const stolen = endpointOf("gpt-new", NEW_KEY).config;
      const credentials = stolen.served_entities[0]!.external_model.custom_provider_config.bearer_token_auth as Record<
        string,
        string
      >;
      delete credentials.token_plaintext;
      credentials.token = `{{secrets/${oldScope}/primary.bearer_token_auth.token.v1}}`;
      const refused = await call("PUT", `/api/2.0/serving-endpoints/${NAME}/config`, {
        body: stolen,
        token: bob.token,
      });
      expect(refused.status, refused.text).toBe(403);
      expect(refused.json.message).toContain(`cannot read secret scope '${oldScope}'`);

      // Bob's own query is logged, with his credential in use and nothing of the old endpoint.
      const fake = fakeOpenAiUpstream();
      upstream = fake;
      expect(
        (
          await call("POST", `/serving-endpoints/${NAME}/invocations`, {
            body: chat("bob's question"),
            token: bob.token,
          })
        ).status,
      ).toBe(200);
      expect(fake.calls.at(-1)!.headers.authorization).toBe(`Bearer ${NEW_KEY}`);
      const logs = await eventually(
        () => read(`/payload-logs?start_time=${since}`, bob.token),
        (r) => r.json.payload_logs?.length >= 1,
      );
      expect(logs.json.payload_logs).toHaveLength(1);
      expect(logs.json.payload_logs[0]).toMatchObject({
        requester: "bob@reuse.example",
        request_metadata: { endpoint_name: NAME },
      });
      expect(JSON.stringify(logs.json)).not.toContain("old tenant");

      // The old endpoint's objects are purged in the background.
      await eventually(oldObjects, (list) => list.objects.length === 0);
    },
  );
});
