/**
 * The exit codes scripts can rely on (docs/cli.md lists them). Distinct codes for "the API said no" and
 * "the host could not be reached" let a script retry only what a retry can fix.
 */
export const EXIT = {
  OK: 0,
  /** The API answered an error (`{error_code, message}` is printed on stderr). */
  API_ERROR: 1,
  /** Bad arguments, unreadable `--json`, or no host/token configured. Nothing was sent. */
  USAGE: 2,
  /** The host could not be reached (DNS, refused connection, TLS). */
  UNREACHABLE: 3,
  /** `--wait` saw the deployment fail (UPDATE_FAILED / UPDATE_CANCELED, or not ready after the update). */
  DEPLOYMENT_FAILED: 4,
  /** `--wait` gave up after `--timeout`; the deployment may still finish. */
  TIMEOUT: 5,
  /** A bug in the CLI (the stack is printed): please report it. */
  INTERNAL: 70,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure that ends the command with a given exit code and a one-line message on stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/** Bad input from the user: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}
