// The e2e run's record of requests wrangler dev's proxy dropped ("Your worker restarted mid-request"):
// one JSON object a line, appended by the tests' helpers (test/e2e/helpers.ts) and summed up at the end
// of the run by the global teardown (test/global-setup.ts) and by infra/test.mjs.
import fs from "node:fs";

/** Appends one dropped request: `{method, path, test, resent}` (`resent: false` failed its test). */
export function recordDroppedRequest(file, entry) {
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Every entry of the file, or none if it does not exist. */
export function readDroppedRequests(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** The run's report: how many requests were resent (and which), and which were dropped and not resent. */
export function describeDroppedRequests(entries) {
  const list = (es) => es.map((e) => `${e.method} ${e.path} (${e.test})`).join("; ");
  const resent = entries.filter((e) => e.resent);
  const failed = entries.filter((e) => !e.resent);
  const lines = [
    `${resent.length} request${resent.length === 1 ? "" : "s"} resent ` +
      `after a worker restart${resent.length ? `: ${list(resent)}` : ""}`,
  ];
  if (failed.length)
    lines.push(
      `${failed.length} non-idempotent request${failed.length === 1 ? "" : "s"} ` +
        `dropped by a worker restart and not resent ` +
        `(${failed.length === 1 ? "its test" : "their tests"} failed): ${list(failed)}`,
    );
  return lines;
}
