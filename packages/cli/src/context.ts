import fs from "node:fs";
import { createEdgeserveClient, type EdgeserveClient } from "@edgeserve/sdk";
import { type Command, Option } from "commander";
import { type AuthFlags, type ResolvedAuth, resolveAuth } from "./auth/resolve-auth";
import type { ExitCode } from "./exit-codes";
import { formatJson, type OutputMode } from "./io/output";

/** The process around a command, passed in so that tests can run the CLI in-process with their own streams. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** The directory relative `@file` arguments are read from. */
  cwd: string;
  homeDir: string;
}

export interface CommandContext {
  client: EdgeserveClient;
  auth: ResolvedAuth;
  output: OutputMode;
  io: CliIo;
  /** Prints `text` (text mode) or `value` as JSON (`--output json`). */
  print: (value: unknown, text?: () => string) => void;
}

interface GlobalOptions extends AuthFlags {
  output: OutputMode;
}

/** Reads a file's text, undefined when it does not exist (the CLI's one way of reading user files). */
export function readTextFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** The options every command that calls the API takes, as the Databricks CLI names them. */
export function withGlobalOptions(command: Command): Command {
  return command
    .option("--host <url>", "the gateway's URL (else EDGESERVE_HOST, DATABRICKS_HOST or the profile's host)")
    .option("--token <token>", "a personal access token (else EDGESERVE_TOKEN, DATABRICKS_TOKEN or the profile's)")
    .option("-p, --profile <name>", "a profile of ~/.databrickscfg (or DATABRICKS_CONFIG_FILE); default DEFAULT")
    .addOption(new Option("-o, --output <mode>", "text (tables) or json").choices(["text", "json"]).default("text"));
}

/** A command's positional arguments; commander has checked that the required ones are there. */
type Positionals = [string, string];

/**
 * Wraps a command's action: resolves auth, makes the SDK client, and records the exit code the action
 * returns (undefined = 0) through `setExit`.
 */
export function action(
  io: CliIo,
  setExit: (code: ExitCode) => void,
  run: (ctx: CommandContext, args: Positionals, options: Record<string, unknown>) => Promise<ExitCode | undefined>,
): (...args: unknown[]) => Promise<void> {
  // commander calls an action with (...positional arguments, options, command).
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = command.opts<GlobalOptions & Record<string, unknown>>();
    const ctx = makeContext(io, options);
    setExit((await run(ctx, args.slice(0, -2) as Positionals, options)) ?? 0);
  };
}

export function makeContext(io: CliIo, options: GlobalOptions): CommandContext {
  const auth = resolveAuth({
    flags: { host: options.host, token: options.token, profile: options.profile },
    env: io.env,
    homeDir: io.homeDir,
    readFile: readTextFile,
  });
  const client = createEdgeserveClient({ host: auth.host, token: auth.token, headers: { "User-Agent": USER_AGENT } });
  const output = options.output ?? "text";
  return {
    client,
    auth,
    output,
    io,
    print(value, text) {
      io.stdout.write(output === "json" || !text ? formatJson(value) : text());
    },
  };
}

const USER_AGENT = "edgeserve-cli/0.1.0";
