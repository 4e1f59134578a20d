import { UsageError } from "../exit-codes";
import type { AuthFlags } from "./resolve-auth";

const AUTH_OPTIONS: Record<string, keyof AuthFlags> = {
  "--host": "host",
  "--token": "token",
  "--profile": "profile",
  "-p": "profile",
};

/**
 * Takes the auth options (`--host X`, `--token=X`, `--profile X`, `-p X`) out of a command's raw arguments,
 * for a command that parses the rest itself (`sql`). Everything after `--` is left alone. Pure.
 */
export function splitAuthArgs(args: readonly string[]): { auth: AuthFlags; rest: string[] } {
  const auth: AuthFlags = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 && arg.startsWith("--") ? arg.slice(0, eq) : arg;
    const key = AUTH_OPTIONS[name];
    if (!key) {
      rest.push(arg);
      continue;
    }
    const value = eq > 0 && name !== arg ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value.`);
    auth[key] = value;
  }
  return { auth, rest };
}
