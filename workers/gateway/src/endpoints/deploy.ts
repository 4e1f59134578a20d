import type { AiGateway } from "@edgeserve/api";
import { type Database, endpoints, openDatabase, secrets } from "@edgeserve/db";
import { and, eq, notInArray } from "drizzle-orm";
import type { Env } from "../env";
import { checkProvisionedEntity } from "../foundation-models/check-provisioned-entity";
import { bandsOf, isProvisionedEntity } from "../foundation-models/provisioned-band";
import { reserveThroughput } from "../foundation-models/throughput-reservations";
import { guardrailConfigProblem } from "../guardrails/guardrail-config-problem";
import { checkBuiltinEmbeddings, isBuiltinEmbeddingsEntity } from "../serving/builtin-embeddings";
import { checkCustomModel } from "../serving/custom-model/check-custom-model";
import { retryBackoff } from "../queues/retry-delay";
import { checkExternalModel } from "../serving/external-model/check-external-model";
import { invalidateEndpointCache } from "./cache";
import { endpointSecretScope, secretReferencesIn } from "./config-secrets";
import { type DeploymentMessage, isDeploymentMessage } from "./deployment-message";
import type { EntityCheck, Say } from "./entity-check";
import { type EndpointEvent, recordEvents } from "./events";
import { recordPromotedConfig } from "./config-history";
import { findEndpointById, storedPendingConfig } from "./store";
import type { StoredConfig, StoredServedEntity } from "./stored-config";

const MAX_ATTEMPTS = 5;
/** Redelivery after a failed attempt: 2, 4, 8, 16 s (a deployment is waited for). */
const retryDelaySeconds = retryBackoff(2);

/**
 * The deployment consumer: rolls a pending config out (checks every entity can be served),
 * then promotes it to the active config. Runs off the request path, which is what makes
 * `pending_config` and `config_update: IN_PROGRESS` observable, as on Databricks.
 */
export async function handleDeploymentBatch(batch: MessageBatch<DeploymentMessage>, env: Env): Promise<void> {
  const db = openDatabase(env.DB);
  for (const message of batch.messages) {
    if (!isDeploymentMessage(message.body)) {
      // Unreadable: no retry can deploy it, but it is not dropped either. Retried at once (waiting cannot
      // help) until the queue gives up, it lands in the dead-letter queue, where an admin sees it.
      console.error(JSON.stringify({ level: "error", msg: "unreadable deployment message", id: message.id }));
      message.retry();
      continue;
    }
    try {
      await deploy(db, env, message.body);
      message.ack();
    } catch (e) {
      const last = message.attempts >= MAX_ATTEMPTS;
      console.error(
        JSON.stringify({
          level: "error",
          msg: "deployment failed",
          endpointId: message.body.endpointId,
          attempt: message.attempts,
          error: String(e),
        }),
      );
      if (last) {
        await markFailed(db, message.body, "The deployment could not be completed after several attempts.").catch(
          () => {},
        );
        message.ack();
      } else {
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  }
}

/** Checks that one entity can answer queries; each kind of entity has its own check. */
function checkEntity(db: Database, env: Env, entity: StoredServedEntity, say: Say): Promise<EntityCheck> {
  if (entity.external_model) return checkExternalModel(db, env, entity, say);
  if (isProvisionedEntity(entity)) return checkProvisionedEntity(env, entity, say);
  if (isBuiltinEmbeddingsEntity(entity)) return checkBuiltinEmbeddings(entity, env, say);
  return checkCustomModel(db, env, entity, say);
}

async function deploy(db: Database, env: Env, message: DeploymentMessage): Promise<void> {
  const row = await findEndpointById(db, message.endpointId);
  // Stale message: the endpoint is gone, or a newer config superseded this one.
  if (row?.configUpdate !== "IN_PROGRESS" || row.configVersion !== message.configVersion) return;
  const pending = storedPendingConfig(row);
  if (!pending) return;

  const log: EndpointEvent[] = [];
  const ready: StoredServedEntity[] = [];
  const failures: { entity: string; problem: string }[] = [];
  for (const entity of pending.served_entities) {
    const say: Say = (message, level = "INFO") =>
      log.push({ servedEntity: entity.name, kind: "build", level, message });
    say(`Config version ${pending.config_version}: deployment started.`);
    const check = await checkEntity(db, env, entity, say);
    if ("problem" in check) failures.push({ entity: entity.name, problem: check.problem });
    else ready.push(check.ready);
  }
  // Guardrails set by PUT …/ai-gateway were checked then; this config may not suit them (e.g. now a custom model).
  const guardrailProblem =
    failures.length === 0
      ? await guardrailConfigProblem(db, env, (row.aiGateway as AiGateway | null)?.guardrails, pending)
      : null;
  // Last, once everything else passed: a failed deployment never holds capacity.
  const capacityProblem =
    failures.length === 0 && !guardrailProblem
      ? await reserveThroughput(db, env, row.id, pending.config_version, bandsOf(pending), (message) =>
          log.push({ servedEntity: pending.served_entities[0]!.name, kind: "build", message }),
        )
      : null;
  const configProblem = guardrailProblem ?? capacityProblem?.problem;
  for (const entity of failures.length === 0 ? pending.served_entities : []) {
    if (configProblem) failures.push({ entity: entity.name, problem: configProblem });
    log.push({
      servedEntity: entity.name,
      kind: "build",
      ...(configProblem ? { level: "ERROR", message: configProblem } : { message: "Served entity is ready." }),
    });
  }
  await recordEvents(db, row.id, log);

  const where = and(
    eq(endpoints.id, row.id),
    eq(endpoints.configVersion, message.configVersion),
    eq(endpoints.configUpdate, "IN_PROGRESS"),
  );
  if (failures.length > 0) {
    await db
      .update(endpoints)
      .set({ pendingConfig: failedConfig(pending, failures), configUpdate: "UPDATE_FAILED", updatedAt: Date.now() })
      .where(where);
  } else {
    const active: StoredConfig = {
      ...pending,
      served_entities: ready.map((e) => ({
        ...e,
        state: { deployment: "DEPLOYMENT_READY", deployment_state_message: "" },
      })),
    };
    // One batch (a transaction): the promotion and its history entry happen together or not at all.
    await db.batch([
      db
        .update(endpoints)
        .set({
          config: active,
          pendingConfig: null,
          pendingStartedAt: null,
          configUpdate: "NOT_UPDATING",
          ready: "READY",
          updatedAt: Date.now(),
        })
        .where(where),
      recordPromotedConfig(db, row.id, message.configVersion),
    ]);
    await recordEvents(
      db,
      row.id,
      active.served_entities.map((e) => {
        const share =
          active.traffic_config.routes.find((r) => (r.served_entity_name ?? r.served_model_name) === e.name)
            ?.traffic_percentage ?? 0;
        return {
          servedEntity: e.name,
          kind: "service" as const,
          message: `Serving config version ${active.config_version} with ${share}% of traffic.`,
        };
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
  await recordEvents(
    db,
    row.id,
    (pending?.served_entities ?? []).map((e) => ({
      servedEntity: e.name,
      kind: "build" as const,
      level: "ERROR" as const,
      message: reason,
    })),
  );
  const failed =
    pending &&
    failedConfig(
      pending,
      pending.served_entities.map((e) => ({ entity: e.name, problem: reason })),
    );
  await db
    .update(endpoints)
    .set({ ...(failed && { pendingConfig: failed }), configUpdate: "UPDATE_FAILED", updatedAt: Date.now() })
    .where(eq(endpoints.id, row.id));
  invalidateEndpointCache(row.name);
}

/**
 * The pending config as a failed update leaves it (GET shows it): each entity DEPLOYMENT_FAILED with its problem, the
 * others ABORTED.
 */
function failedConfig(pending: StoredConfig, failures: { entity: string; problem: string }[]): StoredConfig {
  return {
    ...pending,
    served_entities: pending.served_entities.map((e) => {
      const f = failures.find((x) => x.entity === e.name);
      return {
        ...e,
        state: f
          ? { deployment: "DEPLOYMENT_FAILED", deployment_state_message: f.problem }
          : { deployment: "DEPLOYMENT_ABORTED", deployment_state_message: "Another served entity failed to deploy." },
      };
    }),
  };
}

/** Credentials of superseded configs are deleted once a new config is live. */
async function pruneUnusedEndpointSecrets(db: Database, endpointId: string, active: StoredConfig): Promise<void> {
  const scope = endpointSecretScope(endpointId);
  const keep = secretReferencesIn(active)
    .filter((r) => r.scope === scope)
    .map((r) => r.key);
  await db
    .delete(secrets)
    .where(keep.length ? and(eq(secrets.scope, scope), notInArray(secrets.key, keep)) : eq(secrets.scope, scope));
}
