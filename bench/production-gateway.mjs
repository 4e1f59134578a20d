// The production-bundle stack (`pnpm serve`'s infra/serve.mjs: both workers' `wrangler deploy --dry-run`
// bundles on workerd, local D1/R2/KV/Queues) in a fresh state directory, with a custom ONNX model published to
// its registry and served by an endpoint, for bench/inference.mjs and bench/sustained.mjs.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../infra/local-stack.mjs";
import { startProductionStack } from "../infra/serve.mjs";
import { processTree } from "./overhead/proc-cpu.mjs";
import "../packages/cli/bin/register-tsx.mjs";

// publish-model is TypeScript on the SDK: loaded through the CLI's tsx hook, as infra/publish-model.mjs does.
const { PUBLISH_DEFAULTS, publish, uploadLimits } = await import("../packages/cli/src/models/publish-model.ts");

const repoRoot = path.resolve(import.meta.dirname, "..");
/** The benches' model: MLP 64→256→256→10, float32 (workers/inference/test/fixtures/onnx/mlp). */
export const MLP_FILE = path.join(repoRoot, "workers/inference/test/fixtures/onnx/mlp/model.onnx");
const MLP_NAME = "bench.models.mlp";

/** The MLflow model directory of the MLP: its ONNX file and an MLmodel with the onnx flavor and a signature. */
function mlpModelDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-bench-mlp-"));
  fs.copyFileSync(MLP_FILE, path.join(dir, "model.onnx"));
  const inputs = JSON.stringify([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 64] } }]);
  const outputs = JSON.stringify([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 10] } }]);
  fs.writeFileSync(
    path.join(dir, "MLmodel"),
    "flavors:\n  onnx:\n    data: model.onnx\n    onnx_version: 1.17.0\n" +
      `signature:\n  inputs: '${inputs}'\n  outputs: '${outputs}'\n`,
  );
  return dir;
}

/** One API call as the admin; the parsed JSON body, or an error naming the status. */
async function adminApi(stack, method, route, body) {
  const res = await fetch(stack.url + route, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : {};
}

/** Creates an endpoint and waits until it is READY with its config applied. */
async function createReadyEndpoint(stack, spec) {
  await adminApi(stack, "POST", "/api/2.0/serving-endpoints", spec);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ep = await adminApi(stack, "GET", `/api/2.0/serving-endpoints/${spec.name}`);
    if (ep.state?.ready === "READY" && ep.state?.config_update === "NOT_UPDATING") return ep;
    if (ep.state?.config_update === "UPDATE_FAILED") throw new Error(`${spec.name}: ${JSON.stringify(ep)}`);
    if (Date.now() > deadline) throw new Error(`${spec.name} not READY after 120 s: ${JSON.stringify(ep.state)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Usage tracking and payload logging (inference tables) on: a custom-model query's full production path. */
const FULL_PATH_AI_GATEWAY = {
  usage_tracking_config: { enabled: true },
  inference_table_config: { enabled: true, catalog_name: "bench", schema_name: "logs", table_name_prefix: "mlp" },
};

/**
 * Starts the stack, publishes the MLP and serves it as endpoint `mlp` (full production path). Returns the
 * stack's URL and admin token, the pids of its workerd (for /proc CPU and memory), and stop().
 */
export async function startGatewayWithMlp({ inspectorPort } = {}) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-bench-serve-"));
  const before = new Set(workerdPids());
  const adminToken = `dapi${crypto.randomBytes(16).toString("hex")}`;
  const started = await startProductionStack({
    port: await freePort(),
    stateDir,
    adminToken,
    masterKey: crypto.randomBytes(32).toString("base64"),
    log: false,
    ...(inspectorPort ? { inspectorPort } : {}),
  });
  const stack = {
    ...started,
    adminToken,
    stateDir,
    workerdPids: workerdPids().filter((p) => !before.has(p)),
    async stop() {
      await started.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
  try {
    const dir = mlpModelDir();
    const limits = uploadLimits(PUBLISH_DEFAULTS);
    const quiet = process.stderr.write;
    process.stderr.write = () => true; // publish() reports progress on stderr
    let version;
    try {
      version = await publish({ dir, name: MLP_NAME, host: stack.url, token: adminToken, ...limits });
    } finally {
      process.stderr.write = quiet;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    await createReadyEndpoint(stack, {
      name: "mlp",
      ai_gateway: FULL_PATH_AI_GATEWAY,
      config: {
        served_entities: [
          { name: "mlp", entity_name: MLP_NAME, entity_version: version.version, workload_size: "Small" },
        ],
      },
    });
    return stack;
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

/** The workerd processes under this Node process (Miniflare spawns one per instance). */
export function workerdPids() {
  return processTree(process.pid)
    .filter((p) => p.comm === "workerd")
    .map((p) => p.pid);
}
