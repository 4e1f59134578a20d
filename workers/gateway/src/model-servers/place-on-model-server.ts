import { parseSecretReference } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import type { Say } from "../endpoints/entity-check";
import type { Env } from "../env";
import { getSecretValue } from "../secrets/store";
import type { ModelOnServer, ResolvedVersion } from "../serving/custom-model/pinned-model";
import { checkReadiness } from "./check-readiness";
import { modelsPlacedOn } from "./placed-models";
import type { ModelServerPlacement } from "./placement";
import { type ModelServerRow, listModelServers } from "./store";

const REGISTER = "register one with POST /api/2.0/edgeserve/model-servers (docs/model-servers.md)";

/** The name a model has on an OIP server: the registry name with what model repositories refuse made `_`. */
export function oipModelName(registryName: string): string {
  return registryName.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** Whether a server may take the version at all: its workload types, and an mlflow server's one model. */
function serves(server: ModelServerRow, version: ResolvedVersion, workloadType: string): boolean {
  if (!server.workloadTypes.includes(workloadType)) return false;
  if (server.protocol === "mlflow") return server.modelName === version.name && server.modelVersion === version.version;
  return true;
}

/**
 * Places a registry version on a registered model server for its workload type: the first (by name) that
 * serves the type (an mlflow server only the version it was started with), has capacity left, whose token
 * resolves and which is ready. Each step is in the build log; `whyNotInWorker` starts the failure message.
 */
export async function placeOnModelServer(
  db: Database,
  env: Env,
  version: ResolvedVersion,
  workloadType: string,
  whyNotInWorker: string,
  say: Say,
): Promise<{ pinned: ModelOnServer } | { problem: string }> {
  const candidates = (await listModelServers(db)).filter((s) => serves(s, version, workloadType));
  if (candidates.length === 0)
    return {
      problem:
        `${whyNotInWorker} No model server is registered for ` +
        `workload type ${workloadType} that serves it; ${REGISTER}.`,
    };
  say(`${whyNotInWorker} Placing it on a model server for workload type ${workloadType}.`);
  const tried: string[] = [];
  const key = `${version.name}/${version.version}`;
  for (const server of candidates) {
    if (server.maxModels !== null) {
      const placed = await modelsPlacedOn(db, server.name);
      if (!placed.has(key) && placed.size >= server.maxModels) {
        tried.push(`'${server.name}' is full (${placed.size} of max_models ${server.maxModels})`);
        say(`Model server '${server.name}' is full: ${placed.size} of its ${server.maxModels} model(s) are placed.`);
        continue;
      }
    }
    let token: string | undefined;
    const ref = server.bearerToken ? parseSecretReference(server.bearerToken) : null;
    if (ref) {
      const value = await getSecretValue(db, env, ref.scope, ref.key);
      if (value === null) {
        tried.push(`'${server.name}' has a bearer_token whose secret does not exist`);
        say(`Model server '${server.name}': its bearer_token refers to a secret that does not exist.`, "WARN");
        continue;
      }
      token = value;
    }
    const placement: ModelServerPlacement = {
      server: server.name,
      protocol: server.protocol,
      base_url: server.baseUrl,
      ...(server.bearerToken && { bearer_token: server.bearerToken }),
      ...(server.protocol === "oip-v2" && { model: oipModelName(version.name), version: version.version }),
    };
    const readiness = await checkReadiness(placement, token, say);
    if (!readiness.ready) {
      tried.push(`'${server.name}': ${readiness.reason.replace(/\.+$/, "")}`);
      say(`Model server '${server.name}' is not ready: ${readiness.reason}`, "WARN");
      continue;
    }
    say(`Serving ${version.label} on model server '${server.name}' (${server.protocol}).`);
    return {
      pinned: {
        name: version.name,
        version: version.version,
        ...(version.signature && { signature: version.signature }),
        model_server: { ...placement, ...(readiness.metadata && { metadata: readiness.metadata }) },
      },
    };
  }
  return {
    problem: `${whyNotInWorker} No model server for workload type ${workloadType} can serve it: ${tried.join("; ")}.`,
  };
}
