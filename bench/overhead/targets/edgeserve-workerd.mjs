// Edgeserve's production bundle on workerd through Miniflare's API (bench/workerd-server.mjs), without
// wrangler dev's layers: the production layout (the logging pipeline in a process of its own, as in
// production), everything in one process, and an earlier bundle (BENCH_AB_BUNDLE) for A/B runs.
import fs from "node:fs";
import path from "node:path";
import { applyMigrations, freePort } from "../../../infra/local-stack.mjs";
import { provision } from "../bench-endpoint.mjs";
import { log, r3 } from "../log.mjs";
import { processTree } from "../proc-cpu.mjs";
import { onStop, spawnNode, workerdPidsOf } from "../processes.mjs";
import { AB_BUNDLE, AB_ONLY, PROFILE, PROFILE_ONLY, TTFT_ONLY } from "../settings.mjs";
import { edgeserveTarget, oneQuery, untilAnswered } from "./target.mjs";

const benchDir = path.resolve(import.meta.dirname, "../..");

/**
 * Provisions the bench endpoint once, on one process, then starts each layout on a copy of that state.
 * Adds the targets (edgeserve, then oneProcess and baseline when the run has them) to `targets` and the
 * production layout's cold start to `coldStart` as each is known. Returns, when the run profiles, the
 * inspector port and a way to restart the measured instance with it.
 */
export async function startEdgeserveOnWorkerd(
  { runDir, bundlePath, adminToken, masterKey, upstashVars, mockUrl },
  { targets, coldStart },
) {
  const prodState = path.join(runDir, "prod-state");
  fs.mkdirSync(prodState, { recursive: true });
  const tMig = Date.now();
  await applyMigrations({ stateDir: prodState });
  const migrationsMs = Date.now() - tMig;
  const secretsFile = path.join(runDir, "secrets.json");
  fs.writeFileSync(
    secretsFile,
    JSON.stringify({ EDGESERVE_ADMIN_TOKEN: adminToken, EDGESERVE_MASTER_KEY: masterKey }),
    { mode: 0o600 },
  );
  const prodPort = await freePort();
  // The measured instance has no inspector: an inspector raises the CPU per request (bench/README.md).
  // The profile is taken last, on an instance of its own (same state) that has one.
  const inspectorPort = PROFILE ? await freePort() : null;
  /** A gateway process on `state`; `layout` adds --relay-queues (production layout) or --role=pipeline. */
  const startWorkerd = (name, port, state, layout = [], inspector = null, bundle = bundlePath) =>
    spawnNode(
      name,
      [
        path.join(benchDir, "workerd-server.mjs"),
        `--bundle=${bundle}`,
        `--port=${port}`,
        `--state=${state}`,
        `--secrets=${secretsFile}`,
        `--vars=${JSON.stringify(upstashVars)}`,
        ...layout,
        ...(inspector ? [`--inspector=${inspector}`] : []),
      ],
      { ready: /^READY (\S+) workerd=(\S*)/ },
    );

  // Provisioned once, on one process; the other layouts start on copies of that state.
  let prod = startWorkerd("workerd", prodPort, prodState);
  let prodUrl = (await prod.started).match[1];
  log("Edgeserve (workerd, production bundle) at", prodUrl);
  const prodIds = await provision(prodUrl, adminToken, mockUrl);
  const probe = await oneQuery(edgeserveTarget(prodUrl, prodIds.token, ""));
  if (probe.status !== 200) throw new Error(`Edgeserve query failed: ${probe.status} ${probe.text.slice(0, 500)}`);
  await prod.stop();
  const pipelineState = path.join(runDir, "pipeline-state");
  const oneProcessState = path.join(runDir, "one-process-state");
  const baselineState = path.join(runDir, "baseline-state");
  fs.cpSync(prodState, pipelineState, { recursive: true });
  fs.cpSync(prodState, oneProcessState, { recursive: true });
  if (AB_BUNDLE) fs.cpSync(prodState, baselineState, { recursive: true });

  // The production layout (bench/queue-relay.mjs): the logging pipeline in a process of its own.
  const pipeline = startWorkerd("pipeline", await freePort(), pipelineState, ["--role=pipeline"]);
  const pipelineStart = await pipeline.started;
  onStop(() => pipeline.stop());
  const pipelineUrl = pipelineStart.match[1];
  const pipelinePids = workerdPidsOf(pipelineStart);
  const productionLayout = [`--relay-queues=${pipelineUrl}`];
  /** A production-layout target: its process tree includes the pipeline, whose D1 answers the usage API. */
  const withPipeline = (target, gatewayPid) =>
    Object.assign(target, {
      treePids: () => [...processTree(gatewayPid()), ...processTree(pipeline.child.pid)].map((p) => p.pid),
      pipelinePids: () => pipelinePids,
      usageBase: pipelineUrl,
    });
  log("logging pipeline (queues, consumers, their D1 and R2) at", pipelineUrl);

  // Cold start: the gateway process on the provisioned state; time to /health and to the first answered query.
  prod = startWorkerd("workerd", prodPort, prodState, productionLayout);
  const prodTarget0 = edgeserveTarget(`http://127.0.0.1:${prodPort}`, prodIds.token, "");
  const [prodStart, prodFirstQueryMs] = await Promise.all([prod.started, untilAnswered(prodTarget0, prod.t0)]);
  prodUrl = prodStart.match[1];
  const workerdPids = workerdPidsOf(prodStart);
  onStop(() => prod.stop());
  coldStart.edgeserveWorkerd = {
    processStartToHealthMs: r3(prodStart.readyMs),
    processStartToFirstQueryMs: r3(prodFirstQueryMs),
    note:
      "node + Miniflare + workerd process start on an existing local state, " +
      "first query cold (token, endpoint and ACL read from D1, credential decrypted)",
    migrationsApplyMs: migrationsMs,
  };
  targets.edgeserve = withPipeline(
    edgeserveTarget(prodUrl, prodIds.token, "Edgeserve (workerd, prod bundle)", () => workerdPids),
    () => prod.child.pid,
  );
  log("cold start (workerd)", JSON.stringify(coldStart.edgeserveWorkerd));

  // Everything in one workerd process: the broker, consumers, D1 and R2 on the query path's thread.
  if (!TTFT_ONLY && !PROFILE_ONLY && !AB_ONLY) {
    const one = startWorkerd("one-process", await freePort(), oneProcessState);
    const oneStart = await one.started;
    onStop(() => one.stop());
    const onePids = workerdPidsOf(oneStart);
    targets.oneProcess = edgeserveTarget(
      oneStart.match[1],
      prodIds.token,
      "Edgeserve (workerd, one process)",
      () => onePids,
    );
    targets.oneProcess.treePids = () => processTree(one.child.pid).map((p) => p.pid);
    targets.oneProcess.usageBase = oneStart.match[1];
  }

  // An earlier build of the gateway (BENCH_AB_BUNDLE), in the production layout beside this tree's: an A/B
  // of a change in one run, sharing the logging pipeline (CPU runs are sequential, so its figures stay apart).
  if (AB_BUNDLE) {
    const baseline = startWorkerd(
      "baseline",
      await freePort(),
      baselineState,
      productionLayout,
      null,
      path.resolve(AB_BUNDLE),
    );
    const baselineStart = await baseline.started;
    onStop(() => baseline.stop());
    const baselinePids = workerdPidsOf(baselineStart);
    targets.baseline = withPipeline(
      edgeserveTarget(baselineStart.match[1], prodIds.token, `Edgeserve baseline (${AB_BUNDLE})`, () => baselinePids),
      () => baseline.child.pid,
    );
  }

  /** Replaces the measured instance by one with an inspector on `inspectorPort` (same port, same state). */
  const restartWithInspector = async () => {
    await prod.stop();
    prod = startWorkerd("workerd", prodPort, prodState, productionLayout, inspectorPort);
    await prod.started;
  };
  return { inspectorPort, restartWithInspector };
}
