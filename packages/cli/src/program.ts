import { Command } from "commander";
import { completionCommand } from "./commands/completion";
import { modelsCommand } from "./commands/models";
import { secretsCommand } from "./commands/secrets";
import { servingEndpointsCommand } from "./commands/serving-endpoints";
import { sqlCommand } from "./commands/sql";
import { tokensCommand } from "./commands/tokens";
import type { CliIo } from "./context";
import type { ExitCode } from "./exit-codes";

export const CLI_VERSION = "0.1.0";

/** The whole command tree. Commands write through `io` and report their exit code through `setExit`. */
export function buildProgram(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const program = new Command("edgeserve")
    .description(
      "Edgeserve's command line, shaped like the Databricks CLI's (docs/cli.md).\n" +
        "Auth: --host/--token, EDGESERVE_HOST/EDGESERVE_TOKEN, DATABRICKS_HOST/DATABRICKS_TOKEN, or --profile.",
    )
    .version(CLI_VERSION)
    // Options after `sql` belong to sql, not to edgeserve.
    .enablePositionalOptions()
    .showHelpAfterError();
  program.addCommand(servingEndpointsCommand(io, setExit));
  program.addCommand(secretsCommand(io, setExit));
  program.addCommand(tokensCommand(io, setExit));
  program.addCommand(modelsCommand(io, setExit));
  program.addCommand(sqlCommand(io, setExit));
  completionCommand(io, program, setExit);
  forEachCommand(program, (command) =>
    command
      // Errors become exit codes in main.ts instead of process.exit deep inside commander.
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }),
  );
  return program;
}

function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const child of command.commands) forEachCommand(child, visit);
}
