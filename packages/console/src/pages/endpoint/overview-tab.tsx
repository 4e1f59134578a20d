import type { EndpointDetailed } from "../../api";
import { formatTime } from "../../components/format";
import { StateBadge } from "../../components/state-badge";
import { describeEntity, describeKind } from "../endpoints/describe-entities";

export function OverviewTab({ endpoint }: { endpoint: EndpointDetailed }) {
  const config = endpoint.config ?? endpoint.pending_config;
  const routes = config?.traffic_config?.routes ?? [];
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={endpoint.state} />
        </dd>
        <dt>Task</dt>
        <dd>{endpoint.task ?? "—"}</dd>
        <dt>Kind</dt>
        <dd>{describeKind(endpoint.endpoint_type)}</dd>
        <dt>Creator</dt>
        <dd>{endpoint.creator}</dd>
        <dt>Created</dt>
        <dd>{formatTime(endpoint.creation_timestamp)}</dd>
        <dt>Last updated</dt>
        <dd>{formatTime(endpoint.last_updated_timestamp)}</dd>
        <dt>Config version</dt>
        <dd>{endpoint.config?.config_version ?? "—"}</dd>
        <dt>Your permission</dt>
        <dd>{endpoint.permission_level}</dd>
      </dl>
      {endpoint.pending_config ? (
        <p class="help">
          Config version {endpoint.pending_config.config_version} is being deployed (since{" "}
          {formatTime(endpoint.pending_config.start_time)}).
        </p>
      ) : null}
      <h3>Served entities</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Model</th>
            <th scope="col">Traffic</th>
          </tr>
        </thead>
        <tbody>
          {(config?.served_entities ?? []).map((e) => {
            const route = routes.find((r) => (r.served_entity_name ?? r.served_model_name) === e.name);
            return (
              <tr key={e.name}>
                <td>{e.name}</td>
                <td>{describeEntity(e)}</td>
                <td>{route ? `${route.traffic_percentage}%` : routes.length === 0 ? "100%" : "0%"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {endpoint.ai_gateway ? (
        <>
          <h3>AI Gateway</h3>
          <pre>{JSON.stringify(endpoint.ai_gateway, null, 2)}</pre>
        </>
      ) : null}
      {endpoint.tags?.length ? (
        <>
          <h3>Tags</h3>
          <ul>
            {endpoint.tags.map((t) => (
              <li key={t.key}>
                {t.key}
                {t.value ? `: ${t.value}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
