import path from "node:path";
import { UsageError } from "../exit-codes";
import { parseDatabricksCfg } from "./databrickscfg";

export interface AuthFlags {
  host?: string;
  token?: string;
  profile?: string;
}

export interface AuthSources {
  flags: AuthFlags;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** Reads a file's text, undefined when it does not exist. */
  readFile: (file: string) => string | undefined;
}

export interface ResolvedAuth {
  host: string;
  token: string;
  /** Where host and token came from, for error messages (never the token itself). */
  source: string;
}

/**
 * Host and token the way the Databricks CLI finds them: flags, then environment (EDGESERVE_* before
 * DATABRICKS_*), then a profile of the config file (`--profile`, else `DATABRICKS_CONFIG_PROFILE`, else
 * DEFAULT). A value given closer to the command wins field by field. Pure apart from `readFile`.
 */
export function resolveAuth({ flags, env, homeDir, readFile }: AuthSources): ResolvedAuth {
  const fromEnv = {
    host: env.EDGESERVE_HOST || env.DATABRICKS_HOST,
    token: env.EDGESERVE_TOKEN || env.DATABRICKS_TOKEN,
  };
  const configFile = env.DATABRICKS_CONFIG_FILE || path.join(homeDir, ".databrickscfg");
  const profileName = flags.profile ?? env.DATABRICKS_CONFIG_PROFILE;
  // A named profile must exist; the DEFAULT one is only a fallback for what flags and environment left out.
  const needProfile = profileName !== undefined || !(flags.host ?? fromEnv.host) || !(flags.token ?? fromEnv.token);
  const profile = needProfile ? readProfile(configFile, profileName, readFile) : undefined;

  const host = flags.host ?? (profileName !== undefined ? profile?.host : undefined) ?? fromEnv.host ?? profile?.host;
  const token =
    flags.token ?? (profileName !== undefined ? profile?.token : undefined) ?? fromEnv.token ?? profile?.token;
  const where = profileName !== undefined ? `profile ${profileName} of ${configFile}` : "flags and environment";
  if (!host)
    throw new UsageError(
      `no host: pass --host, set EDGESERVE_HOST or DATABRICKS_HOST, or add host to a profile in ${configFile}.`,
    );
  if (!token)
    throw new UsageError(
      `no token for ${normalizeHost(host)}: pass --token, set EDGESERVE_TOKEN or DATABRICKS_TOKEN, ` +
        `or add token to a profile in ${configFile}.`,
    );
  return { host: normalizeHost(host), token, source: where };
}

function readProfile(
  configFile: string,
  name: string | undefined,
  readFile: AuthSources["readFile"],
): Record<string, string> | undefined {
  const text = readFile(configFile);
  if (text === undefined) {
    if (name !== undefined) throw new UsageError(`profile ${name}: no config file at ${configFile}.`);
    return undefined;
  }
  const profiles = parseDatabricksCfg(text);
  const profile = profiles[name ?? "DEFAULT"];
  if (!profile && name !== undefined) {
    const known = Object.keys(profiles);
    throw new UsageError(
      `profile ${name} is not in ${configFile}${known.length ? ` (it has: ${known.join(", ")})` : ""}.`,
    );
  }
  return profile;
}

/** `my-host.example` → `https://my-host.example`, trailing slashes dropped (as the Databricks CLI does). */
export function normalizeHost(host: string): string {
  const withScheme = /^https?:\/\//i.test(host) ? host : `https://${host}`;
  return withScheme.replace(/\/+$/, "");
}
