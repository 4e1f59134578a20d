/**
 * What a "publish a model version" upload sends, worked out before the first byte: the model directory's files,
 * which go in one PUT and which in parts, and the bytes sent so far. The same rules as `edgeserve models publish`
 * (packages/cli/src/models/publish-model.ts): R2 wants parts of at least 5 MiB but the last, a Worker request
 * body stays under 100 MB, and the files go to a fresh directory the version points at once all are in.
 */
const MiB = 1024 * 1024;

export const UPLOAD_DEFAULTS = { partSizeMib: 64, multipartThresholdMib: 64 };

/** A file of the chosen directory, by its path inside the model directory. */
export interface ModelFile {
  path: string;
  blob: Blob;
}

interface PartPlan {
  partNumber: number;
  start: number;
  end: number;
}

export interface FilePlan {
  path: string;
  blob: Blob;
  /** Absent: one PUT. Present: a multipart upload of these byte ranges. */
  parts?: PartPlan[];
}

/** Bytes sent: per file, and per part for a multipart file. */
export interface UploadProgress {
  files: { path: string; size: number; sent: number; parts?: { partNumber: number; size: number; sent: number }[] }[];
}

/** Checks the two sizes (MiB, as typed) and turns them into bytes, or says what is wrong. */
export function uploadLimits(
  partSizeMib: number,
  multipartThresholdMib: number,
): { partSize: number; threshold: number } | { error: string } {
  if (!Number.isFinite(partSizeMib) || partSizeMib < 5 || partSizeMib >= 95)
    return { error: "The part size must be between 5 and 94 MiB." };
  if (!Number.isFinite(multipartThresholdMib) || multipartThresholdMib < 0 || multipartThresholdMib >= 95)
    return { error: "Files are sent in parts above a size from 0 to 94 MiB." };
  return { partSize: partSizeMib * MiB, threshold: multipartThresholdMib * MiB };
}

/**
 * The files of a directory picked with `<input webkitdirectory>`, by their path inside it (the picked directory's
 * own name, the first segment of `webkitRelativePath`, dropped); an error when it is no MLflow model.
 */
export function modelFilesOf(picked: ArrayLike<File>): { files: ModelFile[] } | { error: string } {
  const files = Array.from(picked, (file) => {
    const relative = file.webkitRelativePath || file.name;
    return { path: relative.includes("/") ? relative.slice(relative.indexOf("/") + 1) : relative, blob: file };
  }).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.length === 0) return { error: "Choose the model's directory (the one holding its MLmodel file)." };
  if (!files.some((f) => f.path === "MLmodel"))
    return { error: "This is not an MLflow model directory: it has no MLmodel file at its top level." };
  return { files };
}

export function planUpload(files: ModelFile[], limits: { partSize: number; threshold: number }): FilePlan[] {
  return files.map(({ path, blob }) => {
    if (blob.size <= limits.threshold) return { path, blob };
    const parts: PartPlan[] = [];
    for (let start = 0, n = 1; start < blob.size; start += limits.partSize, n++)
      parts.push({ partNumber: n, start, end: Math.min(blob.size, start + limits.partSize) });
    return { path, blob, parts };
  });
}

export function emptyProgress(plan: FilePlan[]): UploadProgress {
  return {
    files: plan.map((f) => ({
      path: f.path,
      size: f.blob.size,
      sent: 0,
      ...(f.parts && {
        parts: f.parts.map((p) => ({ partNumber: p.partNumber, size: p.end - p.start, sent: 0 })),
      }),
    })),
  };
}

/** The progress with `sent` bytes of one file (or of one of its parts) sent; a file's total follows its parts. */
export function withSent(progress: UploadProgress, path: string, sent: number, partNumber?: number): UploadProgress {
  return {
    files: progress.files.map((f) => {
      if (f.path !== path) return f;
      if (partNumber === undefined || !f.parts) return { ...f, sent: Math.min(sent, f.size) };
      const parts = f.parts.map((p) => (p.partNumber === partNumber ? { ...p, sent: Math.min(sent, p.size) } : p));
      return { ...f, parts, sent: parts.reduce((n, p) => n + p.sent, 0) };
    }),
  };
}

export function totals(progress: UploadProgress): { sent: number; total: number } {
  return progress.files.reduce((t, f) => ({ sent: t.sent + f.sent, total: t.total + f.size }), { sent: 0, total: 0 });
}

/** A fresh artifact directory per upload, under the model's own prefix (only its owner may write there). */
export function uploadDirectory(model: string, now: Date, random: string): string {
  return `models/${model}/uploads/${now.toISOString().replace(/[:.]/g, "-")}-${random}`;
}

export function formatBytes(n: number): string {
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
