import type { StoredServedEntity } from "../../endpoints/stored-config";

/**
 * The entities a query tries, in order: the one the traffic split picked, then the endpoint's other served
 * entities in `served_entities` order (Databricks' order), whatever their traffic share, so an entity at
 * 0 % serves only here.
 */
export function fallbackOrder(
  entities: readonly StoredServedEntity[],
  picked: StoredServedEntity,
): StoredServedEntity[] {
  return [picked, ...entities.filter((e) => e !== picked && e.name !== picked.name)];
}
