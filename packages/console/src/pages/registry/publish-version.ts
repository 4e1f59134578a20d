import {
  ApiError,
  artifactFetch,
  ARTIFACTS_PATH,
  createModelVersion,
  createRegisteredModel,
  encodeArtifactPath,
  getRegisteredModel,
  MPU_PATH,
  type ModelVersion,
  putWithProgress,
  setModelAlias,
} from "../../api";
import { type FilePlan, uploadDirectory } from "./upload-plan";

export interface PublishRequest {
  model: string;
  alias?: string;
  plan: FilePlan[];
  /** Bytes sent of a file, or of one of its parts. */
  onSent: (path: string, bytes: number, partNumber?: number) => void;
  /** What is happening now, in words ("Uploading model.onnx, part 2 of 3"). */
  onStep: (step: string) => void;
  signal?: AbortSignal;
}

/** A failed step, worded for the user, with the API's error as its cause. */
export class PublishError extends Error {
  constructor(
    readonly step: string,
    readonly reason: Error,
  ) {
    super(`${step} failed: ${reason.message}`);
    this.name = "PublishError";
  }
}

/**
 * Publishes a model directory as a new version, as `edgeserve models publish` does: the registered model is created
 * when missing, every file is uploaded through the artifact proxy (in parts above the threshold) to a fresh
 * directory, and only then is the version created, so a half-finished upload is never served; the alias last.
 */
export async function publishVersion(request: PublishRequest): Promise<ModelVersion> {
  const { model, plan, onStep, signal } = request;
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    onStep(what);
    try {
      return await run();
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") throw e;
      throw new PublishError(what, e instanceof Error ? e : new Error(String(e)));
    }
  };
  await step(`Looking up ${model}`, async () => {
    try {
      await getRegisteredModel(model, signal);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      await createRegisteredModel(model);
    }
  });
  const random = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0"));
  const dir = uploadDirectory(model, new Date(), random.join(""));
  for (const file of plan) await uploadFile(request, `${dir}/${file.path}`, file, step);
  const version = await step("Creating the version", () => createModelVersion(model, `mlflow-artifacts:/${dir}`));
  const alias = request.alias;
  if (alias) await step(`Setting alias ${alias}`, () => setModelAlias(model, alias, version.version));
  return version;
}

type Step = <T>(what: string, run: () => Promise<T>) => Promise<T>;

async function uploadFile(request: PublishRequest, artifactPath: string, file: FilePlan, step: Step): Promise<void> {
  const { onSent, signal } = request;
  const encoded = encodeArtifactPath(artifactPath);
  if (!file.parts) {
    await step(`Uploading ${file.path}`, () =>
      putWithProgress(`${ARTIFACTS_PATH}/${encoded}`, file.blob, (sent) => onSent(file.path, sent), signal),
    );
    return;
  }
  const parts = file.parts;
  const count = parts.length === 1 ? "1 part" : `${parts.length} parts`;
  const created = await step(`Starting the upload of ${file.path} in ${count}`, async () => {
    const res = await artifactFetch(`${MPU_PATH}/create/${encoded}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: artifactPath, num_parts: parts.length }),
      signal,
    });
    return (await res.json()) as { upload_id: string; credentials: { part_number: number; url: string }[] };
  });
  const completeOrAbort = async (what: "complete" | "abort", body: object) =>
    artifactFetch(`${MPU_PATH}/${what}/${encoded}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: artifactPath, upload_id: created.upload_id, ...body }),
    });
  try {
    const done: { part_number: number; etag: string }[] = [];
    for (const part of parts) {
      const credential = created.credentials.find((c) => c.part_number === part.partNumber);
      if (!credential) throw new Error(`The gateway gave no URL for part ${part.partNumber}.`);
      // The part URL's path and query on this origin: the console's CSP lets it talk to its own origin only.
      const url = new URL(credential.url, location.origin);
      const sent = await step(`Uploading ${file.path}, part ${part.partNumber} of ${parts.length}`, () =>
        putWithProgress(
          `${url.pathname}${url.search}`,
          file.blob.slice(part.start, part.end),
          (bytes) => onSent(file.path, bytes, part.partNumber),
          signal,
        ),
      );
      const etag = sent.etag ?? (sent.body as { etag?: string } | undefined)?.etag;
      if (!etag) throw new Error(`The gateway answered no ETag for part ${part.partNumber}.`);
      done.push({ part_number: part.partNumber, etag });
    }
    await step(`Completing the upload of ${file.path}`, () => completeOrAbort("complete", { parts: done }));
  } catch (e) {
    // Frees what R2 holds of the parts; the error the user sees is the one that stopped the upload.
    await completeOrAbort("abort", {}).catch(() => {});
    throw e;
  }
}
