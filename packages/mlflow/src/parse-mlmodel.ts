import { parse as parseYaml } from "yaml";
import { type ModelSignature, SignatureError, parseSignature } from "./signature";

/** The parts of an MLflow `MLmodel` file the gateway and the inference worker use. */
export interface MlModel {
  /** Flavor name → its configuration (e.g. `onnx: {data: model.onnx, onnx_version: …}`). */
  flavors: Record<string, Record<string, unknown>>;
  signature?: ModelSignature;
  /** Where the logged input example is, relative to the model directory. */
  inputExample?: { artifactPath: string; type?: string; pandasOrient?: string };
  modelUuid?: string;
  mlflowVersion?: string;
  runId?: string;
}

/** Thrown for an MLmodel file MLflow could not have written (bad YAML, no flavors, a broken signature). */
export class MlModelError extends Error {
  override name = "MlModelError";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown) => (typeof value === "string" ? value : undefined);

/** Parses the YAML text of an `MLmodel` file. */
export function parseMlModel(text: string): MlModel {
  let doc: unknown;
  try {
    // MLflow writes plain YAML; uniqueKeys keeps a hand-edited duplicate from silently winning.
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    throw new MlModelError(`MLmodel is not valid YAML: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
  if (!isObject(doc)) throw new MlModelError("MLmodel must be a YAML mapping.");
  if (!isObject(doc.flavors) || Object.keys(doc.flavors).length === 0)
    throw new MlModelError("MLmodel declares no flavors.");
  const flavors: MlModel["flavors"] = {};
  for (const [name, config] of Object.entries(doc.flavors)) flavors[name] = isObject(config) ? config : {};

  const model: MlModel = { flavors };
  if (doc.signature != null) {
    try {
      model.signature = parseSignature(doc.signature);
    } catch (e) {
      if (e instanceof SignatureError) throw new MlModelError(`MLmodel has an invalid signature: ${e.message}`);
      throw e;
    }
  }
  const example = doc.saved_input_example_info;
  if (isObject(example) && typeof example.artifact_path === "string") {
    model.inputExample = {
      artifactPath: example.artifact_path,
      ...(typeof example.type === "string" && { type: example.type }),
      ...(typeof example.pandas_orient === "string" && { pandasOrient: example.pandas_orient }),
    };
  }
  const modelUuid = optionalString(doc.model_uuid);
  const mlflowVersion = optionalString(doc.mlflow_version);
  const runId = optionalString(doc.run_id);
  if (modelUuid) model.modelUuid = modelUuid;
  if (mlflowVersion) model.mlflowVersion = mlflowVersion;
  if (runId) model.runId = runId;
  return model;
}
