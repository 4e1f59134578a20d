import { useRoute } from "preact-iso";
import { getRegisteredModel, searchModelVersions, searchRegisteredModels } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { formatTime } from "../../components/format";
import { useApi } from "../../components/use-api";

/** /registry: registered models; /registry/:name: its versions and aliases. */
export function RegistryPage() {
  const { params } = useRoute();
  return params.name ? <ModelDetail name={params.name} /> : <ModelList />;
}

function ModelList() {
  const { data, error, loading } = useApi((signal) => searchRegisteredModels(signal), []);
  return (
    <section>
      <h1>Model registry</h1>
      <ErrorMessage error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Latest versions</th>
            <th scope="col">Aliases</th>
            <th scope="col">Last updated</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((m) => (
            <tr key={m.name}>
              <td>
                <a href={`/registry/${encodeURIComponent(m.name)}`}>{m.name}</a>
              </td>
              <td>{(m.latest_versions ?? []).map((v) => v.version).join(", ") || "—"}</td>
              <td>{(m.aliases ?? []).map((a) => `${a.alias} → v${a.version}`).join(", ") || "—"}</td>
              <td>{formatTime(m.last_updated_timestamp)}</td>
            </tr>
          ))}
          {!loading && data?.length === 0 ? (
            <tr>
              <td colSpan={4}>No registered models. Publish one with `pnpm publish-model`.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

function ModelDetail({ name }: { name: string }) {
  const model = useApi((signal) => getRegisteredModel(name, signal), [name]);
  const versions = useApi((signal) => searchModelVersions(name, signal), [name]);
  return (
    <section>
      <h1>{name}</h1>
      <p>
        <a href="/registry">All models</a>
      </p>
      <ErrorMessage error={model.error ?? versions.error} />
      {model.data?.description ? <p>{model.data.description}</p> : null}
      <h2>Versions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Aliases</th>
            <th scope="col">Source</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {(versions.data ?? []).map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{v.status ?? "—"}</td>
              <td>{(v.aliases ?? []).join(", ") || "—"}</td>
              <td>
                <code>{v.source ?? "—"}</code>
              </td>
              <td>{formatTime(v.creation_timestamp)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="help">
        A version's input and output signature is in its MLflow model; serving it checks queries against it (endpoint
        page → Query, and <code>GET /api/2.0/serving-endpoints/&#123;name&#125;/openapi</code>).
      </p>
    </section>
  );
}
