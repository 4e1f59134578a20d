import { PROVIDERS } from "@edgeserve/api";
import { type Database, endpoints, openDatabase, secrets } from "@edgeserve/db";
import { and, eq, notInArray } from "drizzle-orm";
import type { Env } from "../env";
import { getSecretValue } from "../secrets/store";
import { endpointSecretScope, entitySecretReferences, secretReferencesIn } from "./config-secrets";
import type { DeploymentMessage } from "./deployment-message";
import { type EndpointEvent, recordEvents } from "./events";
import { findEndpointById, storedPendingConfig } from "./store";
import type { StoredConfig, StoredServedEntity } from "./stored-config";
import { invalidateEndpointCache } from "./cache";
import { isProviderServed } from "../serving/external-model/providers";
import { checkRegistryEntity } from "../registry/check-registry-entity";
import { checkBuiltinEmbeddings, isBuiltinEmbeddingsEntity } from "../serving/builtin-embeddings";

const MAX_ATTEMPTS = 5;

/**
 * The deployment consumer: rolls a pending config out (checks every entity can be served),
 * then promotes it to the active config. Runs off the request path, which is what makes
 * `pending_config` and `config_update: IN_PROGRESS` observable, as on Databricks.
 */
export async function handleDeploymentBatch(batch: MessageBatch<DeploymentMessage>, env: Env): Promise<void> {
  const db = openDatabase(env.DB);
  for (const message of batch.messages) {
    try {
      await deploy(db, env, message.body);
      message.ack();
    } catch (e) {
      const last = message.attempts >= MAX_ATTEMPTS;
      console.error(JSON.stringify({ level: "error", msg: "deployment failed", endpointId: message.body.endpointId, attempt: message.attempts, error: String(e) }));
      if (last) {
        await markFailed(db, message.body, "The deployment could not be completed after several attempts.").catch(() => {});
        message.ack();
      } else {
        message.retry({ delaySeconds: 2 ** message.attempts });
      }
    }
  }
}

/** Checks one entity; returns a failure message or null, and adds build log lines. */
async function checkEntity(db: Database, env: Env, entity: StoredServedEntity, log: EndpointEvent[]): Promise<string | null> {
  const say = (message: string, level: EndpointEvent["level"] = "INFO") => log.push({ servedEntity: entity.name, kind: "build", level, message });
  const model = entity.external_model;
  if (isBuiltinEmbeddingsEntity(entity)) return checkBuiltinEmbeddings(entity, env, say);
  if (!model) {
    const problem = await checkRegistryEntity(db, env.ARTIFACTS, entity.entity_name!, entity.entity_version, say);
    if (problem) return problem;
    say("Served entity is ready.");
    return null;
  }
  say(`Deploying external model '${model.name}' from provider '${model.provider}' for task ${model.task}.`);
  for (const ref of entitySecretReferences(entity)) {
    const value = await getSecretValue(db, env, ref.scope, ref.key);
    if (value === null) {
      const problem = `Secret '${ref.key}' in scope '${ref.scope}' (referenced by ${ref.where}) does not exist.`;
      say(problem, "ERROR");
      return problem;
    }
    say(`Credential ${ref.where} resolves from secret scope '${ref.scope}'.`);
  }
  if (!isProviderServed(model.provider)) {
    say(`Provider '${model.provider}' is configured, but this gateway version cannot call it yet: queries will answer 501 NOT_IMPLEMENTED.`, "WARN");
  }
  if (model.provider === "custom") say(`Queries go to ${model.custom_provider_config!.custom_provider_url}.`);
  else say(`Provider config '${PROVIDERS[model.provider].configKey}' validated.`);
  say("Served entity is ready.");
  return null;
}

async function deploy(db: Database, env: Env, message: DeploymentMessage): Promise<void> {
  const row = await findEndpointById(db, message.endpointId);
  // Stale message: the endpoint is gone, or a newer config superseded this one.
  if (!row || row.configUpdate !== "IN_PROGRESS" || row.configVersion !== message.configVersion) return;
  const pending = storedPendingConfig(row);
  if (!pending) return;

  const log: EndpointEvent[] = [];
  const failures: { entity: string; problem: string }[] = [];
  for (const entity of pending.served_entities) {
    log.push({ servedEntity: entity.name, kind: "build", message: `Config version ${pending.config_version}: deployment started.` });
    const problem = await checkEntity(db, env, entity, log);
    if (problem) failures.push({ entity: entity.name, problem });
  }
  await recordEvents(db, row.id, log);

  const where = and(eq(endpoints.id, row.id), eq(endpoints.configVersion, message.configVersion), eq(endpoints.configUpdate, "IN_PROGRESS"));
  if (failures.length > 0) {
    const failed: StoredConfig = {
      ...pending,
      served_entities: pending.served_entities.map((e) => {
        const f = failures.find((x) => x.entity === e.name);
        return { ...e, state: f ? { deployment: "DEPLOYMENT_FAILED", deployment_state_message: f.problem } : { deployment: "DEPLOYMENT_ABORTED", deployment_state_message: "Another served entity failed to deploy." } };
      }),
    };
    await db.update(endpoints).set({ pendingConfig: failed, configUpdate: "UPDATE_FAILED", updatedAt: Date.now() }).where(where);
  } else {
    const active: StoredConfig = {
      ...pending,
      served_entities: pending.served_entities.map((e) => ({ ...e, state: { deployment: "DEPLOYMENT_READY", deployment_state_message: "" } })),
    };
    await db.update(endpoints).set({ config: active, pendingConfig: null, pendingStartedAt: null, configUpdate: "NOT_UPDATING", ready: "READY", updatedAt: Date.now() }).where(where);
    await recordEvents(
      db,
      row.id,
      active.served_entities.map((e) => {
        const share = active.traffic_config.routes.find((r) => (r.served_entity_name ?? r.served_model_name) === e.name)?.traffic_percentage ?? 0;
        return { servedEntity: e.name, kind: "service" as const, message: `Serving config version ${active.config_version} with ${share}% of traffic.` };
      }),
    );
    await pruneUnusedEndpointSecrets(db, row.id, active);
  }
  invalidateEndpointCache(row.name);
}

async function markFailed(db: Database, message: DeploymentMessage, reason: string): Promise<void> {
  const row = await findEndpointById(db, message.endpointId);
  if (!row || row.configVersion !== message.configVersion || row.configUpdate !== "IN_PROGRESS") return;
  const pending = storedPendingConfig(row);
  await recordEvents(db, row.id, (pending?.served_entities ?? []).map((e) => ({ servedEntity: e.name, kind: "build" as const, level: "ERROR" as const, message: reason })));
  await db.update(endpoints).set({ configUpdate: "UPDATE_FAILED", updatedAt: Date.now() }).where(eq(endpoints.id, row.id));
  invalidateEndpointCache(row.name);
}

/** Credentials of superseded configs are deleted once a new config is live. */
async function pruneUnusedEndpointSecrets(db: Database, endpointId: string, active: StoredConfig): Promise<void> {
  const scope = endpointSecretScope(endpointId);
  const keep = secretReferencesIn(active).filter((r) => r.scope === scope).map((r) => r.key);
  await db.delete(secrets).where(keep.length ? and(eq(secrets.scope, scope), notInArray(secrets.key, keep)) : eq(secrets.scope, scope));
}
