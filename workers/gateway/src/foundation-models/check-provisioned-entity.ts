import { type EntityCheck, type Say, cannotServe } from "../endpoints/entity-check";
import { storedConfig } from "../endpoints/store";
import type { StoredServedEntity } from "../endpoints/stored-config";
import type { Env } from "../env";
import { foundationEndpoints } from "./foundation-endpoints";
import { bandOf } from "./provisioned-band";

/**
 * The deployment check of a provisioned-throughput entity: the operator serves its catalogue model on a
 * backend that can answer. Its band is reserved after every entity passed (throughput-reservations.ts).
 */
export async function checkProvisionedEntity(env: Env, entity: StoredServedEntity, say: Say): Promise<EntityCheck> {
  const band = bandOf(entity)!;
  const foundation = foundationEndpoints(env).get(band.model);
  if (!foundation)
    return cannotServe(
      say,
      `'${entity.entity_name}' cannot be provisioned: the operator does not serve '${band.model}' on this ` +
        "deployment (EDGESERVE_FOUNDATION_MODELS).",
    );
  if (!foundation.config) {
    const why = storedConfig(foundation.row)?.served_entities[0]?.state.deployment_state_message;
    return cannotServe(say, `'${band.model}' cannot answer: ${why}`);
  }
  say(`Serving '${entity.entity_name}' version ${entity.entity_version} on the backend of '${band.model}'.`);
  return { ready: entity };
}
