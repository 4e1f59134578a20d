/**
 * Used by ./workerd: reads a workerd binary config on stdin, writes it with EDGESERVE_WORKERD_V8_FLAGS
 * (space-separated) set as Config.v8Flags to the file named by argv[2], and prints the real workerd's path
 * (only the path without argv[2]).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { withV8Flags } from "./config-v8-flags.mjs";

const [out] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const realWorkerd =
  process.env.EDGESERVE_REAL_WORKERD ?? createRequire(require.resolve("miniflare"))("workerd").default;
if (!out) {
  // Only the path: ./workerd was run for something other than `serve` with a config on stdin.
  console.log(realWorkerd);
  process.exit(0);
}
const flags = (process.env.EDGESERVE_WORKERD_V8_FLAGS ?? "").split(/\s+/).filter(Boolean);
const config = fs.readFileSync(0);
const { message, patched, reason } = withV8Flags(config, flags);
if (!patched && flags.length > 0) console.error(`[workerd-v8-flags] config left as is: ${reason}`);
fs.writeFileSync(out, message);
console.log(realWorkerd);
