import { useEffect } from "preact/hooks";
import { lazy, useLocation, useRoute } from "preact-iso";
import { deleteEndpoint, getEndpoint } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { StateBadge } from "../../components/state-badge";
import { useApi } from "../../components/use-api";
import { LogsTab } from "./logs-tab";
import { OverviewTab } from "./overview-tab";
import { PayloadLogsTab } from "./payload-logs-tab";
import { PermissionsTab } from "./permissions-tab";
import { QueryTab } from "./query-tab";
import { UsageTab } from "./usage-tab";
import { VersionsTab } from "./versions-tab";

/** Its own chunk: the chart library loads only when metrics are opened. */
const MetricsTab = lazy(() => import("./metrics-tab").then((m) => m.MetricsTab));

const TABS = [
  ["overview", "Overview"],
  ["logs", "Events and build logs"],
  ["metrics", "Metrics"],
  ["usage", "Usage"],
  ["payload-logs", "Payload logs"],
  ["permissions", "Permissions"],
  ["versions", "Versions"],
  ["query", "Query"],
] as const;
/** Sections only for those who may change the endpoint: others do not see their tabs. */
const MANAGER_TABS: readonly Tab[] = ["versions"];
type Tab = (typeof TABS)[number][0];
/** While a deployment runs the page polls, so progress (state, build log) shows without a reload. */
const DEPLOYMENT_POLL_MS = 2000;

/** /endpoints/:name/:tab? — each section is its own URL, so links and the back button work. */
export function EndpointPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const name = params.name!;
  const tab = (TABS.some(([t]) => t === params.tab) ? params.tab : "overview") as Tab;
  const { data: endpoint, error, reload } = useApi((signal) => getEndpoint(name, signal), [name]);
  const deploying = endpoint?.state.config_update === "IN_PROGRESS";
  useEffect(() => {
    if (!deploying) return;
    const timer = setTimeout(reload, DEPLOYMENT_POLL_MS);
    return () => clearTimeout(timer);
  });
  const base = `/endpoints/${encodeURIComponent(name)}`;
  const remove = async () => {
    if (!confirm(`Delete the serving endpoint '${name}'? This cannot be undone.`)) return;
    await deleteEndpoint(name);
    route("/endpoints");
  };
  return (
    <section>
      <div class="page-title">
        <h1>{name}</h1>
        {endpoint?.permission_level === "CAN_MANAGE" ? (
          <div class="toolbar">
            <a class="button" href={`${base}/edit`}>
              Edit configuration
            </a>
            <button type="button" class="danger" onClick={remove}>
              Delete
            </button>
          </div>
        ) : null}
      </div>
      <ErrorMessage error={error} />
      {endpoint ? (
        <>
          <p>
            <StateBadge state={endpoint.state} />
            {deploying ? (
              <span aria-live="polite"> Deploying config version {endpoint.pending_config?.config_version}…</span>
            ) : null}
          </p>
          <nav aria-label="Endpoint sections" class="tabs">
            {TABS.filter(([id]) => endpoint.permission_level === "CAN_MANAGE" || !MANAGER_TABS.includes(id)).map(
              ([id, label]) => (
                <a
                  key={id}
                  href={id === "overview" ? base : `${base}/${id}`}
                  aria-current={tab === id ? "page" : undefined}
                >
                  {label}
                </a>
              ),
            )}
          </nav>
          {tab === "overview" ? <OverviewTab endpoint={endpoint} /> : null}
          {tab === "logs" ? <LogsTab endpoint={endpoint} /> : null}
          {tab === "metrics" ? <MetricsTab name={name} /> : null}
          {tab === "usage" ? <UsageTab name={name} /> : null}
          {tab === "payload-logs" ? <PayloadLogsTab name={name} /> : null}
          {tab === "permissions" ? <PermissionsTab endpoint={endpoint} /> : null}
          {tab === "versions" ? <VersionsTab endpoint={endpoint} onChanged={reload} /> : null}
          {tab === "query" ? <QueryTab endpoint={endpoint} /> : null}
        </>
      ) : null}
    </section>
  );
}
