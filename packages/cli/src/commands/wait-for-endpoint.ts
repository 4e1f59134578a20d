import { ApiError, type components, type EdgeserveClient, unwrap } from "@edgeserve/sdk";
import { EXIT, type ExitCode } from "../exit-codes";
import { StatusLine } from "../io/progress";

type Endpoint = components["schemas"]["ServingEndpointDetailed"];

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface WaitResult {
  exitCode: ExitCode;
  endpoint: Endpoint;
}

/**
 * Follows a deployment the way the Databricks SDK's waiter does (poll GET until config_update leaves
 * IN_PROGRESS), printing on stderr the state and every new build-log line of the entities being deployed.
 * READY → 0; UPDATE_FAILED / UPDATE_CANCELED, or an update that ends NOT_READY → 4; `timeoutMs` → 5.
 */
export async function waitForEndpoint(
  client: EdgeserveClient,
  name: string,
  options: WaitOptions,
): Promise<WaitResult> {
  const status = new StatusLine(options.stderr);
  const logsSeen = new Map<string, number>();
  const noLogs = new Set<string>();
  const started = Date.now();
  for (;;) {
    const endpoint = await getEndpoint(client, name);
    const entities = (endpoint.pending_config ?? endpoint.config)?.served_entities ?? [];
    for (const entity of entities) {
      if (noLogs.has(entity.name)) continue;
      const logs = await buildLogs(client, name, entity.name);
      if (logs === undefined) {
        noLogs.add(entity.name);
        continue;
      }
      const seen = logsSeen.get(entity.name) ?? 0;
      for (const line of logs.slice(seen).split("\n").filter(Boolean)) status.log(`[${entity.name}] ${line}`);
      logsSeen.set(entity.name, logs.length);
    }
    const { ready, config_update: update } = endpoint.state;
    const seconds = Math.round((Date.now() - started) / 1000);
    status.update(`${name}: ${update === "IN_PROGRESS" ? "deploying" : update}, ${ready} (${seconds} s)`);
    if (update !== "IN_PROGRESS") {
      status.done();
      if (update === "NOT_UPDATING" && ready === "READY") return { exitCode: EXIT.OK, endpoint };
      for (const entity of entities) {
        const message = entity.state?.deployment_state_message;
        if (message) options.stderr.write(`[${entity.name}] ${entity.state?.deployment}: ${message}\n`);
      }
      return { exitCode: EXIT.DEPLOYMENT_FAILED, endpoint };
    }
    if (Date.now() - started >= options.timeoutMs) {
      status.done();
      options.stderr.write(`${name}: still deploying after ${seconds} s; stopped waiting (it may still finish).\n`);
      return { exitCode: EXIT.TIMEOUT, endpoint };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

function getEndpoint(client: EdgeserveClient, name: string): Promise<Endpoint> {
  return unwrap(client.GET("/api/2.0/serving-endpoints/{name}", { params: { path: { name } } }));
}

/** An entity's build logs; undefined when it has none to show (an external model: 4xx). */
async function buildLogs(client: EdgeserveClient, name: string, entity: string): Promise<string | undefined> {
  try {
    const { logs } = await unwrap(
      client.GET("/api/2.0/serving-endpoints/{name}/served-models/{served_model_name}/build-logs", {
        params: { path: { name, served_model_name: entity } },
      }),
    );
    return logs;
  } catch (e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) return undefined;
    throw e;
  }
}
