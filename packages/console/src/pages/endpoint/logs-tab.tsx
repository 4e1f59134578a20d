import { type EndpointDetailed, getEntityLog } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { useApi } from "../../components/use-api";

/** `seen` is the endpoint as last polled: each poll during a deployment reads the logs again. */
function EntityLogs({ name, entity, seen }: { name: string; entity: string; seen: EndpointDetailed }) {
  const build = useApi((signal) => getEntityLog(name, entity, "build-logs", signal), [name, entity, seen]);
  const service = useApi((signal) => getEntityLog(name, entity, "logs", signal), [name, entity, seen]);
  return (
    <section aria-label={`Logs of ${entity}`}>
      <h3>{entity}</h3>
      <h4>Build log</h4>
      <ErrorMessage error={build.error} />
      <pre data-testid="build-log">{build.data || (build.loading ? "Loading…" : "(empty)")}</pre>
      <h4>Service log</h4>
      <ErrorMessage error={service.error} />
      <pre>{service.data || (service.loading ? "Loading…" : "(empty)")}</pre>
    </section>
  );
}

export function LogsTab({ endpoint }: { endpoint: EndpointDetailed }) {
  const entities = (endpoint.pending_config ?? endpoint.config)?.served_entities ?? [];
  return (
    <section aria-labelledby="logs-title">
      <h2 id="logs-title">Events and build logs</h2>
      {entities.map((e) => (
        <EntityLogs key={e.name} name={endpoint.name} entity={e.name} seen={endpoint} />
      ))}
    </section>
  );
}
