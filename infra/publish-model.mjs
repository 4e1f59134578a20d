#!/usr/bin/env node
/**
 * Publishes an MLflow model directory to Edgeserve's model registry:
 *
 *   node infra/publish-model.mjs <mlflow-model-dir> --name <catalog.schema.model> [--alias champion]
 *        [--host URL] [--token T] [--description TEXT] [--part-size-mib N] [--multipart-threshold-mib N] [--retries N]
 *
 * Creates the registered model if needed, uploads every file through the MLflow artifact proxy
 * (files over the threshold in parts through the multipart API, since a Worker request body is capped
 * at 100 MB), then creates the version and sets the alias. The version only exists once every file is
 * in, so a half-finished upload is never served. Progress goes to stderr; the version number to stdout.
 * Defaults: the local stack (http://127.0.0.1:8787) and the token in .edgeserve/admin-token.
 * Environment: EDGESERVE_HOST, EDGESERVE_TOKEN (or DATABRICKS_HOST, DATABRICKS_TOKEN).
 * The same as `edgeserve models publish` (packages/cli), whose code (packages/cli/src/models/publish-model.ts,
 * TypeScript on the SDK, loaded through the CLI's tsx) this script runs.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import "../packages/cli/bin/register-tsx.mjs";

const { PUBLISH_DEFAULTS, publish, uploadLimits } = await import("../packages/cli/src/models/publish-model.ts");
const repoRoot = path.resolve(import.meta.dirname, "..");

const USAGE = `usage: publish-model <mlflow-model-dir> --name <catalog.schema.model> [--alias NAME] [--host URL]
       [--token TOKEN] [--description TEXT] [--part-size-mib N (default 64)]
       [--multipart-threshold-mib N (default 64)] [--retries N (default 3)]`;

function fail(message) {
  process.stderr.write(`publish-model: ${message}\n`);
  process.exit(1);
}

function readOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        alias: { type: "string" },
        host: { type: "string" },
        token: { type: "string" },
        description: { type: "string" },
        "part-size-mib": { type: "string", default: String(PUBLISH_DEFAULTS.partSizeMib) },
        "multipart-threshold-mib": { type: "string", default: String(PUBLISH_DEFAULTS.multipartThresholdMib) },
        retries: { type: "string", default: String(PUBLISH_DEFAULTS.retries) },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    fail(`${e.message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals.length !== 1) fail(`give exactly one model directory.\n${USAGE}`);
  if (!values.name) fail(`--name is required.\n${USAGE}`);
  const limits = uploadLimits({
    partSizeMib: values["part-size-mib"],
    multipartThresholdMib: values["multipart-threshold-mib"],
    retries: values.retries,
  });
  if (limits.error) fail(limits.error);
  const { partSize, threshold, retries } = limits;
  const host = (
    values.host ??
    process.env.EDGESERVE_HOST ??
    process.env.DATABRICKS_HOST ??
    "http://127.0.0.1:8787"
  ).replace(/\/+$/, "");
  let token = values.token ?? process.env.EDGESERVE_TOKEN ?? process.env.DATABRICKS_TOKEN;
  if (!token) {
    const file = path.join(repoRoot, ".edgeserve/admin-token");
    if (!fs.existsSync(file))
      fail(
        "no token: pass --token, set EDGESERVE_TOKEN, or start the " +
          "local stack (pnpm dev) so .edgeserve/admin-token exists.",
      );
    token = fs.readFileSync(file, "utf8").trim();
  }
  return {
    dir: path.resolve(positionals[0]),
    name: values.name,
    alias: values.alias,
    description: values.description,
    host,
    token,
    partSize,
    threshold,
    retries,
    retryDelayMs: 1000,
  };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("publish-model.mjs")) {
  const options = readOptions(process.argv.slice(2));
  publish(options).then(
    (version) => process.stdout.write(`${version.version}\n`),
    (e) => fail(e.message),
  );
}
