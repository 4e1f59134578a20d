import { env } from "cloudflare:workers";
import { ApiError } from "@edgeserve/api";
import { openDatabase } from "@edgeserve/db";
import { describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { parseVersionOrAlias, resolveModelVersion } from "./resolve-model-version";
import { createModel, createVersionWithFiles, RM, uniqueModelName } from "./testing";

describe("parseVersionOrAlias", () => {
  it("reads numbers, aliases with or without @, and latest", () => {
    expect(parseVersionOrAlias("3")).toEqual({ version: 3 });
    expect(parseVersionOrAlias("@champion")).toEqual({ alias: "champion" });
    expect(parseVersionOrAlias("champion")).toEqual({ alias: "champion" });
    expect(parseVersionOrAlias(undefined)).toEqual({ latest: true });
    expect(parseVersionOrAlias("latest")).toEqual({ latest: true });
  });
});

describe("resolveModelVersion", () => {
  it("maps a name and version/alias to the version's R2 prefix", async () => {
    const db = openDatabase(env.DB);
    const name = uniqueModelName();
    await createModel(name);
    await createVersionWithFiles(name, 1);
    await createVersionWithFiles(name, 2);
    await call("POST", `${RM}/alias`, { body: { name, alias: "champion", version: "1" } });

    expect(await resolveModelVersion(db, name, "1")).toEqual({
      name,
      version: "1",
      artifactPrefix: `mlflow-artifacts/models/${name}/1/`,
    });
    expect(await resolveModelVersion(db, name, undefined)).toEqual({
      name,
      version: "2",
      artifactPrefix: `mlflow-artifacts/models/${name}/2/`,
    });
    expect((await resolveModelVersion(db, name, "@champion")).version).toBe("1");
    // The prefix really holds the model directory.
    const { artifactPrefix } = await resolveModelVersion(db, name, "champion");
    expect(await env.ARTIFACTS.head(`${artifactPrefix}MLmodel`)).not.toBeNull();
  });

  it("throws RESOURCE_DOES_NOT_EXIST for unknown models, versions, aliases, and models without versions", async () => {
    const db = openDatabase(env.DB);
    const empty = uniqueModelName();
    await createModel(empty);
    for (const [name, version] of [
      ["missing.x.y", "1"],
      [empty, "1"],
      [empty, undefined],
      [empty, "@champion"],
    ] as const) {
      const error = await resolveModelVersion(db, name, version).catch((e) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe("RESOURCE_DOES_NOT_EXIST");
    }
  });
});
