/**
 * Rollback in the console: an earlier config (as GET …/config-versions shows it) turned back into the body of
 * PUT …/config, the normal update, so a rollback deploys as a new config_version through the queue.
 */

type OutputConfig = {
  served_entities: Record<string, unknown>[];
  traffic_config?: unknown;
  auto_capture_config?: Record<string, unknown>;
};

/** The fields only the API sets on a served entity (its state, who made it and when). */
const OUTPUT_ONLY_ENTITY_FIELDS = ["state", "creator", "creation_timestamp"];

/** PUT …/config's body for a config the endpoint served: credentials stay `{{secrets/…}}` references. */
export function configInputOf(config: OutputConfig): Record<string, unknown> {
  const served_entities = config.served_entities.map((entity) =>
    Object.fromEntries(Object.entries(entity).filter(([key]) => !OUTPUT_ONLY_ENTITY_FIELDS.includes(key))),
  );
  const autoCapture = config.auto_capture_config;
  const { state: _state, ...autoCaptureInput } = autoCapture ?? {};
  return {
    served_entities,
    ...(config.traffic_config ? { traffic_config: config.traffic_config } : {}),
    ...(autoCapture ? { auto_capture_config: autoCaptureInput } : {}),
  };
}
