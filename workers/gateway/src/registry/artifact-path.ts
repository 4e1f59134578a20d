import { errors } from "@edgeserve/api";

/** Every artifact lives in the R2 bucket under this prefix, so the bucket can hold other things too. */
const ARTIFACTS_ROOT = "mlflow-artifacts/";

/**
 * Checks an artifact path from a URL or body (`models/iris/1/MLmodel`) and returns it normalised
 * (no leading/trailing slash). Refuses `..`, `.`, empty segments and control characters, so a path
 * can never leave the artifacts prefix.
 */
export function normalizeArtifactPath(raw: string, { allowEmpty = false } = {}): string {
  const path = raw.replace(/^\/+/, "").replace(/\/+$/, "");
  if (path === "") {
    if (allowEmpty) return "";
    throw errors.invalid("Invalid value for 'path': the artifact path must not be empty.");
  }
  if (path.length > 1024)
    throw errors.invalid("Invalid value for 'path': the artifact path must be at most 1024 characters.");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this check rejects.
  if (/[\u0000-\u001f\u007f\\]/.test(path))
    throw errors.invalid("Invalid value for 'path': control characters and '\\' are not allowed.");
  for (const segment of path.split("/")) {
    if (segment === "" || segment === "." || segment === "..")
      throw errors.invalid(`Invalid value for 'path': '${path}' has an empty, '.' or '..' segment.`);
  }
  return path;
}

/** The R2 key of an artifact path (already normalised). */
export function artifactKey(path: string): string {
  return ARTIFACTS_ROOT + path;
}

/** The R2 prefix of an artifact directory, ending in "/" (the root is the artifacts prefix itself). */
export function artifactDirPrefix(path: string): string {
  return path === "" ? ARTIFACTS_ROOT : `${ARTIFACTS_ROOT}${path}/`;
}
