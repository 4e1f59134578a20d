import { useRoute } from "preact-iso";
import { getRegisteredModel, searchModelVersions, searchRegisteredModels } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { formatTime } from "../../components/format";
import { useApi } from "../../components/use-api";
import { PublishForm } from "./publish-form";
import { VersionPage } from "./version-page";

/**
 * /registry: registered models; /registry/:name: its versions and aliases; /registry/:name/:version: one version
 * and its signature. A lazy chunk: the MLmodel parser (YAML) is loaded only when the registry is opened.
 */
export function RegistryPage() {
  const { params } = useRoute();
  if (params.name && params.version) return <VersionPage name={params.name} version={params.version} />;
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
              <td colSpan={4}>No registered models yet: publish one below, or with `pnpm publish-model`.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <PublishForm />
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
              <td>
                <a href={`/registry/${encodeURIComponent(name)}/${encodeURIComponent(v.version)}`}>
                  Version {v.version}
                </a>
              </td>
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
      <p class="help">Open a version for its input and output signature (from its MLmodel file).</p>
      <PublishForm key={name} model={name} />
    </section>
  );
}
