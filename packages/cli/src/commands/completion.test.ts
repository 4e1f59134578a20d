import { execFileSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../program";
import { bashCompletion, completionEntries } from "./completion";

function program() {
  const io = {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
    cwd: "/",
    homeDir: "/",
  };
  return buildProgram(io, () => {});
}

describe("completion", () => {
  it("lists every command path with its subcommands and options", () => {
    const entries = new Map(completionEntries(program()).map((e) => [e.path, e.words]));
    expect(entries.get("")).toEqual(
      expect.arrayContaining(["serving-endpoints", "secrets", "tokens", "models", "sql"]),
    );
    expect(entries.get("serving-endpoints")).toEqual(
      expect.arrayContaining(["create", "get", "list", "query", "build-logs", "set-permissions", "payload-logs"]),
    );
    expect(entries.get("serving-endpoints create")).toEqual(
      expect.arrayContaining(["--json", "--wait", "--host", "--token", "--profile", "--output"]),
    );
  });

  it("completes in a real bash: subcommands after the group, options after a positional argument", () => {
    const script = bashCompletion(program());
    const complete = (words: string[]) =>
      execFileSync(
        "bash",
        [
          "-c",
          `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; ` +
            `_edgeserve_complete; printf "%s\\n" "\${COMPREPLY[@]}"`,
        ],
        { encoding: "utf8" },
      )
        .split("\n")
        .filter(Boolean);
    expect(complete(["edgeserve", "serving-endpoints", "bu"])).toEqual(["build-logs"]);
    expect(complete(["edgeserve", "serving-endpoints", "create", "my-ep", "--wa"])).toEqual(["--wait"]);
    expect(complete(["edgeserve", "sec"])).toEqual(["secrets"]);
  });
});
