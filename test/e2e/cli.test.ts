/**
 * The `edgeserve` CLI as a child process against the real local stack: creating an endpoint from a JSON file
 * and following its deployment, querying it (also streamed), auth from the environment and from a profile
 * file, JSON output for scripts, and the documented exit codes.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local-stack.mjs";
import { edgeserve, scratchDir } from "./cli-helpers";
import { api, customModelConfig, e2e, mockAccepts, ok, uniqueName } from "./helpers";

describe("edgeserve serving-endpoints", () => {
  let dir: string;
  let env: Record<string, string>;
  const name = uniqueName("cli");

  beforeAll(async () => {
    dir = scratchDir();
    env = { DATABRICKS_HOST: e2e().url, DATABRICKS_TOKEN: e2e().adminToken };
    const upstreamToken = `sk-${crypto.randomBytes(16).toString("hex")}`;
    await mockAccepts("authorization", `Bearer ${upstreamToken}`);
    const config = customModelConfig(uniqueName("cli-model"), "llm/v1/chat", {
      bearer_token_auth: { token_plaintext: upstreamToken },
    });
    fs.writeFileSync(path.join(dir, "ep.json"), JSON.stringify({ name, config }));
  });

  it("create --json @ep.json --wait follows the deployment to READY, printing build-log lines", async () => {
    const run = await edgeserve(["serving-endpoints", "create", "--json", "@ep.json", "--wait"], { env, cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("[mock] ");
    expect(run.stderr).toContain("Served entity is ready.");
    expect(run.stdout).toContain(`name:           ${name}`);
    expect(run.stdout).toContain("READY, NOT_UPDATING");
    // The CLI said READY: the gateway agrees.
    const endpoint = await ok(api("GET", `/api/2.0/serving-endpoints/${name}`));
    expect(endpoint.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
  });

  it("query prints the answer; --stream prints it chunk by chunk", async () => {
    const body = JSON.stringify({ messages: [{ role: "user", content: "hello there friend" }] });
    const plain = await edgeserve(["serving-endpoints", "query", name, "--json", body], { env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe("Echo: hello there friend\n");

    const streamed = await edgeserve(["serving-endpoints", "query", name, "--json", body, "--stream"], { env });
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(streamed.stdout).toBe("Echo: hello there friend\n");

    const chunks = await edgeserve(["serving-endpoints", "query", name, "--json", body, "--stream", "-o", "json"], {
      env,
    });
    expect(chunks.code, chunks.stderr).toBe(0);
    const lines = chunks.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // One chunk per word of the mock's answer, as they arrived: the stream was not buffered into one answer.
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Echo: hello there friend");
  });

  it("--output json prints parseable JSON for get and list", async () => {
    const got = await edgeserve(["serving-endpoints", "get", name, "--output", "json"], { env });
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ name, state: { ready: "READY" } });
    const listed = await edgeserve(["serving-endpoints", "list", "-o", "json"], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).endpoints.map((e: { name: string }) => e.name)).toContain(name);
    const table = await edgeserve(["serving-endpoints", "list"], { env });
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+STATE\s+CONFIG_UPDATE\s+CREATOR\s+CREATED$/);
    expect(table.stdout).toMatch(new RegExp(`^${name}\\s+READY\\s+NOT_UPDATING`, "m"));
  });

  it("takes host and token from a profile file (DEFAULT, --profile, DATABRICKS_CONFIG_FILE)", async () => {
    const home = scratchDir();
    fs.writeFileSync(
      path.join(home, ".databrickscfg"),
      `[DEFAULT]\nhost = ${e2e().url}\ntoken = ` +
        `${e2e().adminToken}\n\n[broken]\nhost = ${e2e().url}\ntoken = dapi-wrong\n`,
    );
    const viaDefault = await edgeserve(["serving-endpoints", "get", name, "-o", "json"], { cwd: home });
    expect(viaDefault.code, viaDefault.stderr).toBe(0);
    expect(JSON.parse(viaDefault.stdout).name).toBe(name);

    const viaProfile = await edgeserve(["serving-endpoints", "get", name, "--profile", "broken"], { cwd: home });
    expect(viaProfile.code).toBe(1);
    expect(viaProfile.stderr).toContain("UNAUTHENTICATED");

    const elsewhere = scratchDir();
    fs.renameSync(path.join(home, ".databrickscfg"), path.join(elsewhere, "edgeserve.cfg"));
    const viaFile = await edgeserve(["serving-endpoints", "get", name, "-o", "json"], {
      cwd: home,
      env: { DATABRICKS_CONFIG_FILE: path.join(elsewhere, "edgeserve.cfg") },
    });
    expect(viaFile.code, viaFile.stderr).toBe(0);
  });

  it("exits with the documented codes: 1 API error, 2 usage, 3 unreachable", async () => {
    const missing = await edgeserve(["serving-endpoints", "get", uniqueName("absent")], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: RESOURCE_DOES_NOT_EXIST: /);
    expect(missing.stdout).toBe("");

    const missingJson = await edgeserve(["serving-endpoints", "get", uniqueName("absent"), "-o", "json"], { env });
    expect(missingJson.code).toBe(1);
    expect(JSON.parse(missingJson.stderr)).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST", status: 404 });

    const noAuth = await edgeserve(["serving-endpoints", "list"]);
    expect(noAuth.code).toBe(2);
    expect(noAuth.stderr).toContain("no host");

    const badJson = await edgeserve(["serving-endpoints", "create", "--json", "{not json"], { env });
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain("--json is not valid JSON");

    const unknownCommand = await edgeserve(["serving-endpoints", "frobnicate"], { env });
    expect(unknownCommand.code).toBe(2);

    const port = await freePort();
    const unreachable = await edgeserve(["serving-endpoints", "list"], {
      env: { DATABRICKS_HOST: `http://127.0.0.1:${port}`, DATABRICKS_TOKEN: "t" },
    });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain("cannot reach the host");
  });

  it("create --wait exits 4 when the deployment fails, with the entity's message", async () => {
    const failing = uniqueName("cli-fail");
    const scope = uniqueName("cli-scope");
    await ok(api("POST", "/api/2.0/secrets/scopes/create", { body: { scope } }));
    const config = customModelConfig("m", "llm/v1/chat", {
      bearer_token_auth: { token: `{{secrets/${scope}/absent}}` },
    });
    const run = await edgeserve(
      ["serving-endpoints", "create", failing, "--json", JSON.stringify({ config }), "--wait"],
      { env },
    );
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain(`Secret 'absent' in scope '${scope}'`);
    expect(run.stdout).toContain("NOT_READY, UPDATE_FAILED");
  });

  it(
    "reads and changes the endpoint: build-logs, get-open-api, " + "permissions, put-ai-gateway, usage, update-config",
    async () => {
      const logs = await edgeserve(["serving-endpoints", "build-logs", name, "mock"], { env });
      expect(logs.code, logs.stderr).toBe(0);
      expect(logs.stdout).toContain("Served entity is ready.");

      const openApi = await edgeserve(["serving-endpoints", "get-open-api", name], { env });
      expect(openApi.code, openApi.stderr).toBe(0);
      expect(JSON.parse(openApi.stdout).openapi).toMatch(/^3\./);

      const { id } = await ok(api("GET", `/api/2.0/serving-endpoints/${name}`));
      const group = uniqueName("cli-group");
      await ok(api("POST", "/api/2.0/preview/scim/v2/Groups", { body: { displayName: group } }));
      const acl = { access_control_list: [{ group_name: group, permission_level: "CAN_QUERY" }] };
      const set = await edgeserve(["serving-endpoints", "set-permissions", id, "--json", JSON.stringify(acl)], { env });
      expect(set.code, set.stderr).toBe(0);
      const get = await edgeserve(["serving-endpoints", "get-permissions", id], { env });
      expect(get.stdout).toMatch(new RegExp(`^${group}\\s+CAN_QUERY$`, "m"));

      const gateway = { usage_tracking_config: { enabled: true } };
      const put = await edgeserve(["serving-endpoints", "put-ai-gateway", name, "--json", JSON.stringify(gateway)], {
        env,
      });
      expect(put.code, put.stderr).toBe(0);
      expect(JSON.parse(put.stdout)).toMatchObject(gateway);

      const usage = await edgeserve(["serving-endpoints", "usage", name, "--group-by", "day", "-o", "json"], { env });
      expect(usage.code, usage.stderr).toBe(0);
      expect(JSON.parse(usage.stdout)).toMatchObject({ endpoint_name: name, group_by: "day" });

      const config = JSON.parse(fs.readFileSync(path.join(dir, "ep.json"), "utf8")).config;
      config.served_entities[0].name = "mock-v2";
      const update = await edgeserve(
        ["serving-endpoints", "update-config", name, "--json", JSON.stringify(config), "--wait", "-o", "json"],
        { env },
      );
      expect(update.code, update.stderr).toBe(0);
      expect(update.stderr).toContain("[mock-v2] ");
      const updated = JSON.parse(update.stdout);
      expect(updated.state).toEqual({ ready: "READY", config_update: "NOT_UPDATING" });
      expect(updated.config.served_entities.map((e: { name: string }) => e.name)).toEqual(["mock-v2"]);
    },
  );

  it("delete removes the endpoint", async () => {
    const run = await edgeserve(["serving-endpoints", "delete", name], { env });
    expect(run.code, run.stderr).toBe(0);
    expect((await api("GET", `/api/2.0/serving-endpoints/${name}`)).status).toBe(404);
  });
});
