import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { EXIT, type ExitCode } from "../exit-codes";
import { loadSqlModule, type SqlModule, sqlCommand } from "./sql";

function io(env: Record<string, string> = {}) {
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env,
    cwd: "/",
    homeDir: "/",
  };
}

describe("edgeserve sql", () => {
  it("hands @edgeserve/sql its arguments untouched except auth, with the resolved host and token", async () => {
    const calls: { argv: string[]; host: string; token: string }[] = [];
    const fake: SqlModule = {
      async sqlCommand(argv, ctx) {
        calls.push({ argv, host: ctx.host, token: ctx.token });
        return 7;
      },
    };
    let code: ExitCode | undefined;
    const command = sqlCommand(
      io({ DATABRICKS_TOKEN: "dapi-env" }),
      (c) => (code = c),
      async () => fake,
    );
    await command.parseAsync(["--host", "http://h:1/", "SELECT 1", "--output", "json", "-f", "q.sql", "--help"], {
      from: "user",
    });
    expect(calls).toEqual([
      { argv: ["SELECT 1", "--output", "json", "-f", "q.sql", "--help"], host: "http://h:1", token: "dapi-env" },
    ]);
    expect(code).toBe(7);
  });

  it("refuses to run without auth, except for --help", async () => {
    const fake: SqlModule = { sqlCommand: async () => 0 };
    const noAuth = sqlCommand(
      io(),
      () => {},
      async () => fake,
    );
    await expect(noAuth.parseAsync(["SELECT 1"], { from: "user" })).rejects.toMatchObject({ exitCode: EXIT.USAGE });
    await expect(noAuth.parseAsync(["--help"], { from: "user" })).resolves.toBeDefined();
  });

  it("says which package is missing when it is not installed", async () => {
    await expect(loadSqlModule("@edgeserve/no-such-package")).rejects.toMatchObject({
      exitCode: EXIT.USAGE,
      message: expect.stringContaining("needs the @edgeserve/no-such-package package"),
    });
  });
});
