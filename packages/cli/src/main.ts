import { ApiError } from "@edgeserve/sdk";
import { CommanderError } from "commander";
import type { CliIo } from "./context";
import { CliError, EXIT, type ExitCode } from "./exit-codes";
import { buildProgram } from "./program";

/**
 * Runs the CLI on `argv` (the arguments after `edgeserve`) and resolves to the exit code; never calls
 * process.exit, so tests can run it in-process. Every failure ends as one message on stderr and a code of
 * exit-codes.ts.
 */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io, wantsJson(argv));
  }
}

function reportFailure(error: unknown, io: CliIo, json: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // --help and --version "fail" with code 0; commander has already printed the usage error.
    return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (error instanceof ApiError) {
    const { status, error_code, message, requestId } = error;
    io.stderr.write(
      json
        ? `${JSON.stringify({ error_code, message, status, ...(requestId && { request_id: requestId }) })}\n`
        : `Error: ${error_code}: ${message}${requestId ? ` (request id ${requestId})` : ""}\n`,
    );
    return EXIT.API_ERROR;
  }
  if (error instanceof CliError) {
    io.stderr.write(`Error: ${error.message}\n`);
    return error.exitCode;
  }
  const unreachable = networkFailure(error);
  if (unreachable) {
    io.stderr.write(`Error: cannot reach the host: ${unreachable}\n`);
    return EXIT.UNREACHABLE;
  }
  io.stderr.write(`Internal error (please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
  return EXIT.INTERNAL;
}

/** fetch's "fetch failed" TypeError, described by its cause (ECONNREFUSED 127.0.0.1:1, ENOTFOUND x, …). */
function networkFailure(error: unknown): string | undefined {
  if (!(error instanceof TypeError) || error.message !== "fetch failed") return undefined;
  const cause = error.cause as { message?: string; code?: string } | undefined;
  return cause?.message ?? cause?.code ?? error.message;
}

function wantsJson(argv: string[]): boolean {
  return argv.some(
    (a, i) => a === "--output=json" || a === "-ojson" || ((a === "--output" || a === "-o") && argv[i + 1] === "json"),
  );
}
