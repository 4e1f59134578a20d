import { ApiError } from "@edgeserve/api/errors";

/** Reads one file of a model directory from R2; a missing file is the model's fault, not the caller's. */
export async function readArtifact(bucket: R2Bucket, key: string): Promise<Uint8Array> {
  const object = await bucket.get(key);
  if (!object) {
    throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Model file '${key}' was not found in the artifact store.`);
  }
  return new Uint8Array(await object.arrayBuffer());
}

/** Joins an artifact prefix ("…/model/") and a relative path inside the model directory, refusing "..". */
export function artifactKey(prefix: string, relative: string): string {
  const parts = relative.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) {
    throw new ApiError("INVALID_PARAMETER_VALUE", `Model file path '${relative}' leaves the model directory.`);
  }
  return (prefix.endsWith("/") ? prefix : `${prefix}/`) + parts.join("/");
}
