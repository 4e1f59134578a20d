import { describe, expect, it } from "vitest";
import {
  emptyProgress,
  formatBytes,
  modelFilesOf,
  planUpload,
  totals,
  uploadDirectory,
  uploadLimits,
  withSent,
} from "./upload-plan";

const MiB = 1024 * 1024;
/** A picked file as `<input webkitdirectory>` gives it: its path starts with the picked directory's name. */
function picked(relativePath: string, size: number): File {
  const file = new File([new Uint8Array(size)], relativePath.split("/").pop()!);
  Object.defineProperty(file, "webkitRelativePath", { value: relativePath });
  return file;
}

describe("modelFilesOf", () => {
  it("gives paths inside the picked directory, sorted, and needs an MLmodel at its top", () => {
    const found = modelFilesOf([
      picked("ridge/model.onnx", 3),
      picked("ridge/MLmodel", 2),
      picked("ridge/data/w.bin", 1),
    ]);
    expect("files" in found && found.files.map((f) => f.path)).toEqual(["MLmodel", "data/w.bin", "model.onnx"]);
    expect(modelFilesOf([picked("ridge/data/MLmodel", 2)])).toEqual({
      error: "This is not an MLflow model directory: it has no MLmodel file at its top level.",
    });
    expect(modelFilesOf([])).toHaveProperty("error");
  });
});

describe("uploadLimits", () => {
  it("keeps parts within R2's minimum and a Worker's body limit, as the CLI does", () => {
    expect(uploadLimits(64, 64)).toEqual({ partSize: 64 * MiB, threshold: 64 * MiB });
    expect(uploadLimits(5, 0)).toEqual({ partSize: 5 * MiB, threshold: 0 });
    expect(uploadLimits(4, 64)).toHaveProperty("error");
    expect(uploadLimits(95, 64)).toHaveProperty("error");
    expect(uploadLimits(64, 95)).toHaveProperty("error");
    expect(uploadLimits(Number.NaN, 1)).toHaveProperty("error");
  });
});

describe("planUpload", () => {
  const files = [
    { path: "MLmodel", blob: new Blob(["x".repeat(100)]) },
    { path: "model.bin", blob: new Blob([new Uint8Array(12 * MiB + 1)]) },
  ];

  it("sends files up to the threshold in one PUT and larger ones in parts covering every byte once", () => {
    const [small, large] = planUpload(files, { partSize: 5 * MiB, threshold: 10 * MiB });
    expect(small?.parts).toBeUndefined();
    expect(large?.parts).toEqual([
      { partNumber: 1, start: 0, end: 5 * MiB },
      { partNumber: 2, start: 5 * MiB, end: 10 * MiB },
      { partNumber: 3, start: 10 * MiB, end: 12 * MiB + 1 },
    ]);
  });

  it("with a threshold of 0 sends every non-empty file in parts", () => {
    const plan = planUpload([...files, { path: "empty", blob: new Blob([]) }], { partSize: 64 * MiB, threshold: 0 });
    expect(plan.map((f) => f.parts?.length)).toEqual([1, 1, undefined]);
  });
});

describe("upload progress", () => {
  it("adds up parts into their file and files into the total", () => {
    const plan = planUpload(
      [
        { path: "a", blob: new Blob([new Uint8Array(100)]) },
        { path: "b", blob: new Blob([new Uint8Array(11 * MiB)]) },
      ],
      { partSize: 5 * MiB, threshold: 1000 },
    );
    let progress = emptyProgress(plan);
    expect(totals(progress)).toEqual({ sent: 0, total: 11 * MiB + 100 });
    progress = withSent(progress, "a", 100);
    progress = withSent(progress, "b", 5 * MiB, 1);
    progress = withSent(progress, "b", 1000, 2);
    expect(progress.files[1]?.parts?.map((p) => p.sent)).toEqual([5 * MiB, 1000, 0]);
    expect(progress.files[1]?.sent).toBe(5 * MiB + 1000);
    expect(totals(progress).sent).toBe(100 + 5 * MiB + 1000);
    // A retried part starts again from 0; bytes beyond the size are not counted.
    progress = withSent(progress, "b", 0, 2);
    progress = withSent(progress, "a", 500);
    expect(totals(progress).sent).toBe(100 + 5 * MiB);
  });
});

describe("uploadDirectory and formatBytes", () => {
  it("puts each upload in a fresh directory under the model's prefix", () => {
    expect(uploadDirectory("main.default.ridge", new Date(Date.UTC(2026, 11, 6, 13, 5, 7, 9)), "a1b2c3d4")).toBe(
      "models/main.default.ridge/uploads/2026-12-06T13-05-07-009Z-a1b2c3d4",
    );
  });

  it("says sizes in B, KiB and MiB", () => {
    expect([formatBytes(0), formatBytes(1536), formatBytes(3 * MiB)]).toEqual(["0 B", "1.5 KiB", "3.0 MiB"]);
  });
});
