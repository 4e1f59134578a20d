import { Command } from "commander";
import type { AuthFlags } from "../auth/resolve-auth";
import { splitAuthArgs } from "../auth/split-auth-args";
import { type CliIo, makeContext } from "../context";
import { CliError, EXIT, type ExitCode, UsageError } from "../exit-codes";

/** What `@edgeserve/sql` exports (packages/sql): it parses its own options and returns an exit code. */
interface SqlModule {
  sqlCommand(
    argv: string[],
    ctx: { host: string; token: string; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  ): Promise<number>;
}

/**
 * `edgeserve sql …`: SQL with AI functions over your own data, run locally on DuckDB by `@edgeserve/sql`.
 * This command only resolves auth (the same flags, environment and profiles as every other command) and hands
 * over the remaining arguments untouched. The package is loaded on use, so the rest of the CLI works (and
 * starts fast) without DuckDB installed.
 */
export function sqlCommand(io: CliIo, setExit: (code: ExitCode) => void): Command {
  return new Command("sql")
    .description("run SQL with AI functions (ai_query, ai_classify, …) over local files; `sql --help` for more")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument("[args...]", "passed to @edgeserve/sql")
    .action(async (args: string[]) => {
      const { auth, rest } = splitAuthArgs(args);
      const sql = await loadSqlModule();
      const { host, token } = resolveSqlAuth(io, auth, rest);
      const code = await sql.sqlCommand(rest, { host, token, stdout: io.stdout, stderr: io.stderr });
      setExit(code as ExitCode);
    });
}

/** The caller's auth; `sql --help` works without any (the package prints its help without calling the API). */
function resolveSqlAuth(io: CliIo, auth: AuthFlags, rest: string[]): { host: string; token: string } {
  try {
    return makeContext(io, { ...auth, output: "text" }).auth;
  } catch (e) {
    if (e instanceof UsageError && (rest.includes("--help") || rest.includes("-h"))) return { host: "", token: "" };
    throw e;
  }
}

async function loadSqlModule(): Promise<SqlModule> {
  // A variable specifier: the package is optional, so neither TypeScript nor a bundler should require it.
  const specifier = "@edgeserve/sql";
  try {
    return (await import(specifier)) as SqlModule;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes(specifier))
      throw new CliError(
        "`edgeserve sql` needs the @edgeserve/sql package (packages/sql in the repository), which is not installed.",
        EXIT.USAGE,
      );
    throw e;
  }
}
