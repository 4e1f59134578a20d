import { errors } from "@edgeserve/api";
import { artifactDirPrefix, normalizeArtifactPath } from "./artifact-path";

/** A model version's `source`, parsed: where its files are, or another version it points at. */
export type ParsedSource =
  | { kind: "artifacts"; path: string }
  | { kind: "model"; name: string; versionOrAlias: string | undefined };

/**
 * Parses the sources this registry can serve from:
 * - `mlflow-artifacts:/models/iris/1` or `mlflow-artifacts://host:port/models/iris/1` (what MLflow's
 *   artifact proxy hands out), and a bare relative path `models/iris/1`;
 * - `models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/<name>` (latest): copy another version's files.
 * Anything else (s3://, dbfs:/, runs:/) is refused: this gateway cannot read it.
 */
export function parseModelSource(source: string): ParsedSource {
  const models = /^models:\/(?!\/)([^/@]+)(?:\/([^/]+)|@([^/]+))?\/?$/.exec(source);
  if (models)
    return { kind: "model", name: models[1]!, versionOrAlias: models[2] ?? (models[3] ? `@${models[3]}` : undefined) };
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)$/.exec(source);
  if (proxied) return { kind: "artifacts", path: sourcePath(proxied[1]!) };
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(source)) return { kind: "artifacts", path: sourcePath(source) };
  throw errors.invalid(
    `Invalid value for 'source': '${source}' is not an artifact location this registry serves; upload through ` +
      "/api/2.0/mlflow-artifacts and use 'mlflow-artifacts:/<path>' (or 'models:/<name>/<version>').",
  );
}

function sourcePath(path: string): string {
  try {
    return normalizeArtifactPath(path);
  } catch (e) {
    throw errors.invalid(
      `Invalid value for 'source': ` +
        `${e instanceof Error ? e.message.replace(/^Invalid value for 'path': /, "") : "bad path"}`,
    );
  }
}

/** The R2 key prefix of an artifacts source, ending in "/". */
export function sourceArtifactPrefix(path: string): string {
  return artifactDirPrefix(path);
}

/** The source a version's files can be fetched from through the artifact proxy. */
export function downloadUriOf(artifactPrefix: string): string {
  return `mlflow-artifacts:/${artifactPrefix.replace(/^mlflow-artifacts\//, "").replace(/\/$/, "")}`;
}
