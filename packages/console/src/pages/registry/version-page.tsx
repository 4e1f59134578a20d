import { parseMlModel } from "@edgeserve/mlflow/parse-mlmodel";
import { getModelVersion, readMlModelText } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { formatTime } from "../../components/format";
import { useApi } from "../../components/use-api";
import { SignatureView } from "./signature-view";

/** /registry/:name/:version: one version, its aliases and its MLmodel's flavors and signature. */
export function VersionPage({ name, version }: { name: string; version: string }) {
  const details = useApi((signal) => getModelVersion(name, version, signal), [name, version]);
  const mlModel = useApi(async (signal) => parseMlModel(await readMlModelText(name, version, signal)), [name, version]);
  const v = details.data;
  const entity = { entity_name: name, entity_version: version };
  return (
    <section>
      <h1>
        {name} version {version}
      </h1>
      <p>
        <a href={`/registry/${encodeURIComponent(name)}`}>All versions of {name}</a>
      </p>
      <ErrorMessage error={details.error} />
      {v ? (
        <dl class="facts">
          <dt>Status</dt>
          <dd>{v.status ?? "—"}</dd>
          <dt>Aliases</dt>
          <dd>{v.aliases?.join(", ") || "—"}</dd>
          <dt>Source</dt>
          <dd>
            <code>{v.source ?? "—"}</code>
          </dd>
          <dt>Created</dt>
          <dd>
            {formatTime(v.creation_timestamp)}
            {v.creator ? ` by ${v.creator}` : ""}
          </dd>
          {v.description ? (
            <>
              <dt>Description</dt>
              <dd>{v.description}</dd>
            </>
          ) : null}
          {v.tags?.length ? (
            <>
              <dt>Tags</dt>
              <dd>{v.tags.map((t) => `${t.key}=${t.value}`).join(", ")}</dd>
            </>
          ) : null}
          {mlModel.data ? (
            <>
              <dt>Flavors</dt>
              <dd>{Object.keys(mlModel.data.flavors).join(", ")}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <h2>Signature</h2>
      <ErrorMessage error={mlModel.error} />
      {mlModel.data ? <SignatureView signature={mlModel.data.signature} /> : null}
      <h2>Serve it</h2>
      <p>
        <a href="/endpoints/new">Create an endpoint</a> and choose this model and version under a registered model, or
        paste this served entity into the form's JSON view:
      </p>
      <pre>{JSON.stringify({ served_entities: [entity] }, null, 2)}</pre>
    </section>
  );
}
