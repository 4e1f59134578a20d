import { useState } from "preact/hooks";
import { type ConfigVersionEntry, type EndpointDetailed, listConfigVersions, updateConfig } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { formatTime } from "../../components/format";
import { Pager, usePageTokens } from "../../components/pager";
import { useApi } from "../../components/use-api";
import { lineDiff } from "../endpoint-form/endpoint-form-model";
import { configInputOf } from "./config-rollback";

const PAGE_SIZE = 20;

const asText = (config: Parameters<typeof configInputOf>[0]) => JSON.stringify(configInputOf(config), null, 2);

/**
 * The configs this endpoint has served (GET …/config-versions), each with its diff against the current one and
 * "Roll back", which sends it to PUT …/config: a new config_version that deploys like any update.
 */
export function VersionsTab({ endpoint, onChanged }: { endpoint: EndpointDetailed; onChanged: () => void }) {
  const pages = usePageTokens();
  const pageToken = pages.pageToken;
  const { data, error, loading } = useApi(
    (signal) => listConfigVersions(endpoint.name, { pageSize: PAGE_SIZE, pageToken }, signal),
    [endpoint.name, pageToken, endpoint.config?.config_version],
  );
  const [open, setOpen] = useState<ConfigVersionEntry>();
  const current = endpoint.config?.config_version;
  const versions = data?.config_versions ?? [];
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Config versions</h2>
      <p class="help">
        Every config this endpoint has served. Rolling back deploys the chosen config again as a new version.
      </p>
      <ErrorMessage error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Went live</th>
            <th scope="col">Served entities</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.config_version}>
              <td>
                <button type="button" class="link-button" onClick={() => setOpen(v)}>
                  Version {v.config_version}
                </button>
                {v.config_version === current ? " (current)" : null}
              </td>
              <td>{formatTime(v.promoted_at)}</td>
              <td>{v.config.served_entities.map((e) => e.name).join(", ")}</td>
            </tr>
          ))}
          {!loading && versions.length === 0 ? (
            <tr>
              <td colSpan={3}>No config has been deployed yet.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <Pager label="Pages of config versions" pages={pages} nextPageToken={data?.next_page_token} />
      {open ? (
        <VersionPanel
          key={open.config_version}
          endpoint={endpoint}
          version={open}
          onClose={() => setOpen(undefined)}
          onChanged={onChanged}
        />
      ) : null}
    </section>
  );
}

function VersionPanel(props: {
  endpoint: EndpointDetailed;
  version: ConfigVersionEntry;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { endpoint, version } = props;
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState<number>();
  const isCurrent = version.config_version === endpoint.config?.config_version;
  const deploying = endpoint.state.config_update === "IN_PROGRESS";
  const rollBack = async () => {
    if (!confirm(`Deploy config version ${version.config_version} of '${endpoint.name}' again, as a new version?`))
      return;
    setError(undefined);
    setBusy(true);
    try {
      const updated = await updateConfig(endpoint.name, configInputOf(version.config));
      setSubmitted(updated.pending_config?.config_version);
      props.onChanged();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="version-open-title" class="panel">
      <h3 id="version-open-title">Config version {version.config_version}</h3>
      <button type="button" class="secondary" onClick={props.onClose}>
        Close
      </button>
      <h4>Changes from the current config to this one</h4>
      {endpoint.config ? (
        <pre class="diff">
          {lineDiff(asText(endpoint.config), asText(version.config)).map((d, i) => (
            <span key={i} class={d.kind === "+" ? "added" : d.kind === "-" ? "removed" : undefined}>
              {`${d.kind} ${d.line}\n`}
            </span>
          ))}
        </pre>
      ) : (
        <pre>{asText(version.config)}</pre>
      )}
      <ErrorMessage error={error} />
      {submitted !== undefined ? (
        <p role="status">
          Rolling back: config version {submitted} (a copy of version {version.config_version}) is deploying. Its
          progress is under <a href={`/endpoints/${encodeURIComponent(endpoint.name)}/logs`}>Events and build logs</a>.
        </p>
      ) : isCurrent ? (
        <p class="help">This is the config the endpoint serves now.</p>
      ) : (
        <button type="button" onClick={rollBack} disabled={busy || deploying}>
          {busy ? "Rolling back…" : `Roll back to version ${version.config_version}`}
        </button>
      )}
      {deploying && submitted === undefined ? (
        <p class="help">A deployment is running; roll back once it has finished.</p>
      ) : null}
    </section>
  );
}
