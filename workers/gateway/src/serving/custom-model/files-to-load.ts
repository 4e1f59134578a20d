import { type ModelRef, filesReadToRun } from "@edgeserve/mlflow";

/** How many files, and bytes, the inference worker reads from R2 to run `ref` (one listing, paged). */
export async function filesToLoad(bucket: R2Bucket, ref: ModelRef): Promise<{ files: number; bytes: number }> {
  const read = filesReadToRun(ref);
  let files = 0;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: ref.artifactPrefix + read.prefix, ...(cursor && { cursor }) });
    for (const object of page.objects) {
      if (!read.includes(object.key.slice(ref.artifactPrefix.length))) continue;
      files += 1;
      bytes += object.size;
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { files, bytes };
}
