import { ApiError } from "@edgeserve/api";

/** How many causes deep a description goes: enough for wrapper → fetch failure → socket error, bounded for cycles. */
const MAX_DEPTH = 4;

/**
 * An error and its cause chain as text for a log: an ApiError as `502 BAD_GATEWAY: message`, another
 * error as `TypeError: message` (with `stack`, its stack trace), a string cause as it is, each cause on
 * a line of its own after `caused by:`. Secrets must be cut out before (see rewriteErrorText).
 */
export function describeError(error: unknown, options: { stack?: boolean } = {}): string {
  const lines: string[] = [];
  let current = error;
  for (let depth = 0; current !== undefined && depth < MAX_DEPTH; depth++) {
    lines.push(`${depth ? "caused by: " : ""}${describeOne(current, options.stack ?? false)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join("\n");
}

function describeOne(error: unknown, stack: boolean): string {
  if (error instanceof ApiError) return `${error.status} ${error.code}: ${error.message}`;
  if (error instanceof Error) return stack && error.stack ? error.stack : `${error.name}: ${error.message}`;
  return describeValue(error);
}

/** A thrown or attached value that is not an Error (a string, an object) as text. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
