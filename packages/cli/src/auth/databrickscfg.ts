/**
 * The Databricks CLI's profile file (`~/.databrickscfg`, or `DATABRICKS_CONFIG_FILE`): INI sections named
 * after profiles, each with `host`, `token` and other keys we ignore. `[DEFAULT]` is the profile used when
 * none is named.
 */
export type Profiles = Record<string, Record<string, string>>;

/** Parses the INI text: `[section]`, `key = value`, comments starting with `#` or `;`. Pure. */
export function parseDatabricksCfg(text: string): Profiles {
  const profiles: Profiles = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = section[1]!.trim();
      current = profiles[name] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    // A key outside any section belongs to DEFAULT, as Python's configparser (the Databricks SDK's reader) treats it.
    if (eq > 0) (current ??= profiles.DEFAULT ??= {})[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return profiles;
}
