#!/usr/bin/env node
// `edgeserve-sql …`: the package's own entry point, the same command as `edgeserve sql …` (auth from
// EDGESERVE_HOST/EDGESERVE_TOKEN or DATABRICKS_HOST/DATABRICKS_TOKEN). The package is TypeScript: tsx loads it.
import { register } from "tsx/esm/api";
import { rerunWithSmallHeap } from "./small-heap.mjs";

const rerun = rerunWithSmallHeap();
if (rerun !== null) process.exit(rerun);
register();
const { sqlCommand } = await import("../src/index.ts");
const host = process.env.EDGESERVE_HOST ?? process.env.DATABRICKS_HOST;
const token = process.env.EDGESERVE_TOKEN ?? process.env.DATABRICKS_TOKEN;
if (!host || !token) {
  process.stderr.write("Set EDGESERVE_HOST and EDGESERVE_TOKEN (or DATABRICKS_HOST and DATABRICKS_TOKEN).\n");
  process.exit(2);
}
process.exitCode = await sqlCommand(process.argv.slice(2), {
  host,
  token,
  stdout: process.stdout,
  stderr: process.stderr,
});
