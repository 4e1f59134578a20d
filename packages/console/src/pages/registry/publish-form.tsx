import { type MlModel, parseMlModel } from "@edgeserve/mlflow/parse-mlmodel";
import { useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { ErrorMessage } from "../../components/error-message";
import { PublishError, publishVersion } from "./publish-version";
import { SignatureView } from "./signature-view";
import {
  emptyProgress,
  formatBytes,
  type ModelFile,
  modelFilesOf,
  planUpload,
  totals,
  UPLOAD_DEFAULTS,
  type UploadProgress,
  uploadLimits,
  withSent,
} from "./upload-plan";

// Preact's JSX types lack the non-standard directory picker attribute every browser supports.
const DIRECTORY_PICKER = { webkitdirectory: true } as Record<string, boolean>;

/**
 * "Publish a model version": a model directory from the user's disk uploaded through the artifact proxy with a
 * progress bar per file and per part, then registered as a new version (publish-version.ts does the calls).
 */
export function PublishForm({ model: fixedModel }: { model?: string }) {
  const { route } = useLocation();
  const [model, setModel] = useState(fixedModel ?? "");
  const [alias, setAlias] = useState("");
  const [partSizeMib, setPartSizeMib] = useState(String(UPLOAD_DEFAULTS.partSizeMib));
  const [thresholdMib, setThresholdMib] = useState(String(UPLOAD_DEFAULTS.multipartThresholdMib));
  const [files, setFiles] = useState<ModelFile[]>();
  const [preview, setPreview] = useState<MlModel>();
  const [error, setError] = useState<Error>();
  const [step, setStep] = useState("");
  const [progress, setProgress] = useState<UploadProgress>();
  const [busy, setBusy] = useState(false);
  const running = useRef<AbortController | undefined>(undefined);

  const choose = async (picked: FileList | null) => {
    setError(undefined);
    setPreview(undefined);
    setFiles(undefined);
    setProgress(undefined);
    const found = modelFilesOf(picked ?? []);
    if ("error" in found) return setError(new Error(found.error));
    const mlModelFile = found.files.find((f) => f.path === "MLmodel");
    try {
      // Read here first: a broken MLmodel is refused before anything is uploaded.
      setPreview(parseMlModel(await (mlModelFile?.blob.text() ?? Promise.resolve(""))));
      setFiles(found.files);
    } catch (e) {
      setError(e as Error);
    }
  };

  const publish = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const limits = uploadLimits(Number(partSizeMib), Number(thresholdMib));
    if ("error" in limits) return setError(new Error(limits.error));
    if (!model.trim()) return setError(new Error("Name the registered model (catalog.schema.model)."));
    if (!files) return setError(new Error("Choose the model's directory (the one holding its MLmodel file)."));
    const plan = planUpload(files, limits);
    let current = emptyProgress(plan);
    setProgress(current);
    setBusy(true);
    const controller = new AbortController();
    running.current = controller;
    try {
      const version = await publishVersion({
        model: model.trim(),
        ...(alias.trim() && { alias: alias.trim() }),
        plan,
        onSent: (path, bytes, part) => {
          current = withSent(current, path, bytes, part);
          setProgress(current);
        },
        onStep: setStep,
        signal: controller.signal,
      });
      route(`/registry/${encodeURIComponent(model.trim())}/${encodeURIComponent(version.version)}`);
    } catch (err) {
      setError(
        err instanceof DOMException ? new Error("The upload was stopped; no version was created.") : (err as Error),
      );
    } finally {
      setBusy(false);
      running.current = undefined;
    }
  };

  const sum = progress && totals(progress);
  return (
    <form class="panel" onSubmit={publish} aria-labelledby="publish-title">
      <h2 id="publish-title">Publish a model version</h2>
      <p class="help">
        Uploads an MLflow model directory (the one holding <code>MLmodel</code>), the same way as{" "}
        <code>pnpm publish-model</code>; the version exists once every file is in.
      </p>
      <div class="toolbar">
        {fixedModel ? null : (
          <div>
            <label for="publish-model">Registered model</label>
            <input
              id="publish-model"
              value={model}
              placeholder="catalog.schema.model"
              onInput={(e) => setModel(e.currentTarget.value)}
            />
          </div>
        )}
        <div>
          <label for="publish-alias">Alias (optional)</label>
          <input id="publish-alias" value={alias} onInput={(e) => setAlias(e.currentTarget.value)} />
        </div>
        <div>
          <label for="publish-dir">Model directory</label>
          <input
            id="publish-dir"
            type="file"
            {...DIRECTORY_PICKER}
            disabled={busy}
            onChange={(e) => void choose(e.currentTarget.files)}
          />
        </div>
      </div>
      <details>
        <summary>Upload settings</summary>
        <div class="toolbar">
          <div>
            <label for="publish-threshold">Send in parts files over (MiB)</label>
            <input
              id="publish-threshold"
              type="number"
              min="0"
              max="94"
              value={thresholdMib}
              onInput={(e) => setThresholdMib(e.currentTarget.value)}
            />
          </div>
          <div>
            <label for="publish-part-size">Part size (MiB)</label>
            <input
              id="publish-part-size"
              type="number"
              min="5"
              max="94"
              value={partSizeMib}
              onInput={(e) => setPartSizeMib(e.currentTarget.value)}
            />
          </div>
        </div>
      </details>
      {files ? (
        <p>
          {files.length} files, {formatBytes(files.reduce((n, f) => n + f.blob.size, 0))}; flavors:{" "}
          {Object.keys(preview?.flavors ?? {}).join(", ")}.
        </p>
      ) : null}
      {preview && !progress ? (
        <details>
          <summary>Signature of the chosen model</summary>
          <SignatureView signature={preview.signature} />
        </details>
      ) : null}
      {error instanceof PublishError ? (
        <p>
          <strong>{error.step} failed.</strong> Nothing was registered; publish again to retry.
        </p>
      ) : null}
      <ErrorMessage error={error instanceof PublishError ? error.reason : error} />
      <div class="toolbar">
        <button type="submit" class="button" disabled={busy || !files}>
          {busy ? "Publishing…" : "Publish"}
        </button>
        {busy ? (
          <button type="button" class="button secondary" onClick={() => running.current?.abort()}>
            Stop
          </button>
        ) : null}
      </div>
      {progress && sum ? <UploadProgressView progress={progress} sum={sum} step={busy ? step : ""} /> : null}
    </form>
  );
}

function UploadProgressView(props: { progress: UploadProgress; sum: { sent: number; total: number }; step: string }) {
  const { progress, sum, step } = props;
  return (
    <div>
      <label for="publish-progress">
        Uploaded {formatBytes(sum.sent)} of {formatBytes(sum.total)}
      </label>
      <progress id="publish-progress" max={sum.total || 1} value={sum.sent} />
      <p aria-live="polite">{step}</p>
      <table>
        <caption class="visually-hidden">Upload progress per file</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Sent</th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {progress.files.flatMap((f) => [
            <tr key={f.path}>
              <td>{f.path}</td>
              <td>
                {formatBytes(f.sent)} / {formatBytes(f.size)}
              </td>
              <td>
                <progress aria-label={`${f.path} upload`} max={f.size || 1} value={f.sent} />
              </td>
            </tr>,
            ...(f.parts ?? []).map((p) => (
              <tr key={`${f.path}#${p.partNumber}`}>
                <td>
                  {f.path}, part {p.partNumber} of {f.parts?.length}
                </td>
                <td>
                  {formatBytes(p.sent)} / {formatBytes(p.size)}
                </td>
                <td>
                  <progress aria-label={`${f.path} part ${p.partNumber} upload`} max={p.size} value={p.sent} />
                </td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
    </div>
  );
}
