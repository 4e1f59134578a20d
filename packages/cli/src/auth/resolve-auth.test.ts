import { describe, expect, it } from "vitest";
import { UsageError } from "../exit-codes";
import { normalizeHost, resolveAuth, type AuthSources } from "./resolve-auth";

const CFG =
  "[DEFAULT]\nhost = https://default.example\ntoken = dapi-default\n\n" +
  "[staging]\nhost = staging.example\ntoken = dapi-staging\n";

function sources(
  overrides: Partial<AuthSources> = {},
  files: Record<string, string> = { "/home/u/.databrickscfg": CFG },
) {
  return { flags: {}, env: {}, homeDir: "/home/u", readFile: (f: string) => files[f], ...overrides };
}

describe("resolveAuth", () => {
  it("takes the DEFAULT profile when nothing else is given", () => {
    expect(resolveAuth(sources())).toMatchObject({ host: "https://default.example", token: "dapi-default" });
  });

  it("prefers EDGESERVE_* over DATABRICKS_* over the DEFAULT profile, field by field", () => {
    const env = { DATABRICKS_HOST: "https://dbx.example", DATABRICKS_TOKEN: "dapi-dbx", EDGESERVE_TOKEN: "dapi-es" };
    expect(resolveAuth(sources({ env }))).toMatchObject({ host: "https://dbx.example", token: "dapi-es" });
    expect(resolveAuth(sources({ env: { DATABRICKS_HOST: "https://dbx.example" } }))).toMatchObject({
      host: "https://dbx.example",
      token: "dapi-default",
    });
  });

  it("lets flags win over everything, and a named profile over the environment", () => {
    const env = { DATABRICKS_HOST: "https://dbx.example", DATABRICKS_TOKEN: "dapi-dbx" };
    expect(resolveAuth(sources({ env, flags: { profile: "staging" } }))).toMatchObject({
      host: "https://staging.example",
      token: "dapi-staging",
    });
    expect(resolveAuth(sources({ env, flags: { profile: "staging", token: "dapi-flag" } })).token).toBe("dapi-flag");
    expect(resolveAuth(sources({ env: { ...env, DATABRICKS_CONFIG_PROFILE: "staging" } })).token).toBe("dapi-staging");
  });

  it("reads the file DATABRICKS_CONFIG_FILE names", () => {
    const files = { "/etc/edgeserve.cfg": "[DEFAULT]\nhost = http://127.0.0.1:8787\ntoken = t" };
    const auth = resolveAuth(sources({ env: { DATABRICKS_CONFIG_FILE: "/etc/edgeserve.cfg" } }, files));
    expect(auth).toMatchObject({ host: "http://127.0.0.1:8787", token: "t" });
  });

  it("refuses an unknown profile, a missing file for a named profile, and a missing host or token", () => {
    expect(() => resolveAuth(sources({ flags: { profile: "prod" } }))).toThrow(
      /profile prod is not in .*DEFAULT, staging/,
    );
    expect(() => resolveAuth(sources({ flags: { profile: "prod" } }, {}))).toThrow(/no config file/);
    expect(() => resolveAuth(sources({}, {}))).toThrow(UsageError);
    expect(() => resolveAuth(sources({ flags: { host: "h" } }, {}))).toThrow(/no token for https:\/\/h/);
  });
});

describe("normalizeHost", () => {
  it("adds https:// to a bare host and drops trailing slashes", () => {
    expect(normalizeHost("ws.example/")).toBe("https://ws.example");
    expect(normalizeHost("http://127.0.0.1:8787//")).toBe("http://127.0.0.1:8787");
  });
});
