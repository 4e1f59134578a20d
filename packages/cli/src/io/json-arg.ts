import path from "node:path";
import { UsageError } from "../exit-codes";

/**
 * The value of a `--json` option as the Databricks CLI takes it: inline JSON, or `@path` to read a file
 * (relative to `cwd`). Anything unreadable or not a JSON object is a usage error naming where it came from.
 */
export function parseJsonArg(
  value: string,
  cwd: string,
  readFile: (file: string) => string | undefined,
): Record<string, unknown> {
  let text = value;
  let origin = "--json";
  if (value.startsWith("@")) {
    const file = path.resolve(cwd, value.slice(1));
    const content = readFile(file);
    if (content === undefined) throw new UsageError(`--json ${value}: no such file ${file}.`);
    text = content;
    origin = `--json ${value}`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${origin} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`${origin} must be a JSON object.`);
  return parsed as Record<string, unknown>;
}
