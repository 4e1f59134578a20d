import { type EndpointCoreConfigInput, errors, servedEntityName } from "@edgeserve/api";
import type { StoredConfig, StoredRoute, StoredServedEntity } from "./stored-config";

const INVALID_NAME_CHARS = /[^A-Za-z0-9_-]/g;

/** Databricks' default entity name: `external_model.name` with `.`/`:` → `-`, else `<model>-<version>`. */
export function defaultEntityName(entity: {
  external_model?: { name: string };
  entity_name?: string;
  entity_version?: string;
}): string {
  if (entity.external_model) return entity.external_model.name.replace(INVALID_NAME_CHARS, "-").slice(0, 63);
  const model = (entity.entity_name ?? "model").split(".").pop()!;
  return `${model}${entity.entity_version ? `-${entity.entity_version}` : ""}`
    .replace(INVALID_NAME_CHARS, "-")
    .slice(0, 63);
}

/**
 * Checks the rules that span fields (unique names, one kind of entity, one task, traffic summing
 * to 100) and fills in defaults, giving the config that is stored and deployed.
 */
export function normalizeConfig(
  input: EndpointCoreConfigInput,
  meta: { creator: string; now: number; configVersion: number },
): StoredConfig {
  if (input.served_entities && input.served_models)
    throw errors.invalid("Give either 'served_entities' or 'served_models', not both.");

  const entities: StoredServedEntity[] = [];
  const state = { deployment: "DEPLOYMENT_CREATING" as const, deployment_state_message: "Creating" };
  const base = { creator: meta.creator, creation_timestamp: meta.now, state };
  if (input.served_models) {
    for (const m of input.served_models) {
      const { model_name, model_version, name, ...rest } = m;
      entities.push({
        ...rest,
        name: name ?? defaultEntityName({ entity_name: model_name, entity_version: model_version }),
        entity_name: model_name,
        entity_version: model_version,
        ...base,
      });
    }
  } else {
    for (const e of input.served_entities ?? []) entities.push({ ...e, name: e.name ?? defaultEntityName(e), ...base });
  }
  if (entities.length === 0) throw errors.invalid("The config must serve at least one entity in 'served_entities'.");

  entities.forEach((e, i) => {
    if (!servedEntityName.safeParse(e.name).success)
      throw errors.invalid(
        `Invalid value for 'served_entities[${i}].name': '${e.name}' ` +
          `must be 1-63 characters of letters, digits, '-' and '_'.`,
      );
  });
  const names = new Set<string>();
  for (const e of entities) {
    if (names.has(e.name))
      throw errors.invalid(
        `Served entity name '${e.name}' is used more than once; names must be unique within an endpoint.`,
      );
    names.add(e.name);
  }

  const external = entities.filter((e) => e.external_model);
  if (external.length > 0 && external.length < entities.length)
    throw errors.invalid(
      "External models cannot be served together with other kinds of served entities on one endpoint.",
    );
  const tasks = new Set(external.map((e) => e.external_model!.task));
  if (tasks.size > 1)
    throw errors.invalid(`All external models of an endpoint must have the same task; got ${[...tasks].join(", ")}.`);

  const legacy = Boolean(input.served_models);
  let routes: StoredRoute[];
  if (!input.traffic_config) {
    if (entities.length > 1)
      throw errors.invalid("'traffic_config' is required when an endpoint serves more than one entity.");
    routes = [
      legacy
        ? { served_model_name: entities[0]!.name, traffic_percentage: 100 }
        : { served_entity_name: entities[0]!.name, traffic_percentage: 100 },
    ];
  } else {
    routes = input.traffic_config.routes.map((r) => ({ ...r }));
    const routed = new Set<string>();
    routes.forEach((r, i) => {
      const target = (r.served_entity_name ?? r.served_model_name)!;
      if (!names.has(target))
        throw errors.invalid(`Invalid value for 'traffic_config.routes[${i}]': no served entity named '${target}'.`);
      if (routed.has(target)) throw errors.invalid(`Served entity '${target}' appears in more than one traffic route.`);
      routed.add(target);
    });
    const total = routes.reduce((sum, r) => sum + r.traffic_percentage, 0);
    if (total !== 100)
      throw errors.invalid(`Traffic percentages in 'traffic_config.routes' must sum to 100; they sum to ${total}.`);
  }

  const config: StoredConfig = {
    served_entities: entities,
    traffic_config: { routes },
    config_version: meta.configVersion,
  };
  if (legacy) {
    config.served_models = input.served_models!.map((m, i) => ({ ...m, name: entities[i]!.name }));
  }
  if (input.auto_capture_config) config.auto_capture_config = input.auto_capture_config;
  return config;
}
