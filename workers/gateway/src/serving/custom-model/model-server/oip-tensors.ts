import type { ColumnType, ModelSignature, ScoringInput } from "@edgeserve/mlflow";
import { badInput } from "@edgeserve/mlflow";
import {
  type OipDatatype,
  type OipModelMetadata,
  type OipTensor,
  type OipTensorMetadata,
  isOipDatatype,
} from "../../../model-servers/oip-protocol";

/** MLflow column types → OIP datatypes (binary columns arrive base64, so they are BYTES as text). */
const COLUMN_DATATYPES: Record<string, OipDatatype> = {
  boolean: "BOOL",
  integer: "INT32",
  long: "INT64",
  float: "FP32",
  double: "FP64",
  string: "BYTES",
  binary: "BYTES",
  datetime: "BYTES",
};

/** numpy dtype names (tensor signatures) → OIP datatypes. */
const NUMPY_DATATYPES: Record<string, OipDatatype> = {
  bool: "BOOL",
  int8: "INT8",
  int16: "INT16",
  int32: "INT32",
  int64: "INT64",
  uint8: "UINT8",
  uint16: "UINT16",
  uint32: "UINT32",
  uint64: "UINT64",
  float16: "FP16",
  float32: "FP32",
  float64: "FP64",
  str: "BYTES",
  object: "BYTES",
  bytes: "BYTES",
};

function columnDatatype(type: ColumnType | undefined): OipDatatype | undefined {
  return type?.kind === "scalar" ? COLUMN_DATATYPES[type.type] : undefined;
}

/** The datatype JSON values need when neither the server nor the signature says: as numpy would infer it. */
function inferredDatatype(values: readonly unknown[]): OipDatatype {
  if (values.every((v) => typeof v === "boolean")) return "BOOL";
  if (values.every((v) => typeof v === "number")) return values.every(Number.isInteger) ? "INT64" : "FP64";
  if (values.every((v) => typeof v === "string")) return "BYTES";
  throw badInput("Cannot send this input as a tensor: its values mix types or hold objects.");
}

/** The shape of a nested JSON array (rows first), and its values flattened row-major; ragged arrays are refused. */
function flatten(value: unknown[], name: string): { shape: number[]; data: unknown[] } {
  const shape: number[] = [value.length];
  let level: unknown[] = value;
  while (level.length > 0 && Array.isArray(level[0])) {
    const width = (level[0] as unknown[]).length;
    if (!level.every((v) => Array.isArray(v) && v.length === width))
      throw badInput(`Tensor '${name}' is ragged: every row must have the same shape.`);
    shape.push(width);
    level = level.flatMap((v) => v as unknown[]);
  }
  if (level.some(Array.isArray)) throw badInput(`Tensor '${name}' is ragged: every row must have the same shape.`);
  return { shape, data: level };
}

/** Fits a [N, …] tensor to the rank the server declares (a column of N values to [N, 1] when it wants two dims). */
function fitRank(tensor: OipTensor, wanted: OipTensorMetadata | undefined): OipTensor {
  if (wanted && wanted.shape.length === tensor.shape.length + 1 && wanted.shape.at(-1) === 1)
    return { ...tensor, shape: [...tensor.shape, 1] };
  return tensor;
}

/**
 * The infer request's tensors for a scoring input that passed the signature check. Datatypes come from the
 * server's model metadata, else the signature, else the values. A dataframe goes as one [N, columns] tensor
 * when the server declares a single input and the columns share a datatype (how sklearn and XGBoost runtimes
 * take features), else as one [N] tensor per column, named by it.
 */
export function scoringInputToTensors(
  input: ScoringInput,
  signature: ModelSignature | undefined,
  metadata: OipModelMetadata | undefined,
): OipTensor[] {
  const declared = metadata?.inputs ?? [];
  const byName = (name: string) => declared.find((d) => d.name === name);
  const signatureColumns = signature?.inputs?.kind === "columns" ? signature.inputs.columns : [];
  const signatureTensors = signature?.inputs?.kind === "tensors" ? signature.inputs.tensors : [];

  if (input.kind === "dataframe") {
    const columnType = (name: string, i: number) =>
      columnDatatype((signatureColumns.find((c) => c.name === name) ?? signatureColumns[i])?.type);
    const columns = input.columns.map((name, i) => {
      const values = input.rows.map((row) => row[i]);
      return { name, values, datatype: byName(name)?.datatype ?? columnType(name, i) ?? inferredDatatype(values) };
    });
    const single = declared.length === 1 && !byName(input.columns[0] ?? "") ? declared[0] : undefined;
    if (single && columns.every((c) => c.datatype === columns[0]?.datatype)) {
      return [
        {
          name: single.name,
          shape: [input.rows.length, input.columns.length],
          datatype: single.datatype,
          data: input.rows.flat(),
        },
      ];
    }
    return columns.map((c) =>
      fitRank({ name: c.name, shape: [c.values.length], datatype: c.datatype, data: c.values }, byName(c.name)),
    );
  }
  const tensorType = (name: string | undefined, i: number) => {
    const spec = signatureTensors.find((t) => t.name === name) ?? signatureTensors[i];
    return spec ? NUMPY_DATATYPES[spec.dtype] : undefined;
  };
  const named: [string, unknown[]][] =
    input.kind === "tensor" ? [[declared[0]?.name ?? "input-0", input.value]] : Object.entries(input.values);
  return named.map(([name, value], i) => {
    const { shape, data } = flatten(value, name);
    const datatype = byName(name)?.datatype ?? tensorType(input.kind === "tensor" ? undefined : name, i);
    return fitRank({ name, shape, datatype: datatype ?? inferredDatatype(data), data }, byName(name));
  });
}

/** Rebuilds a nested array of `shape` from row-major `data`. */
function unflatten(data: readonly unknown[], shape: readonly number[]): unknown[] {
  if (shape.length <= 1) return [...data];
  const [, ...inner] = shape;
  const size = inner.reduce((a, b) => a * b, 1);
  const rows = shape[0] ?? 0;
  return Array.from({ length: rows }, (_, r) => unflatten(data.slice(r * size, (r + 1) * size), inner));
}

/**
 * The scoring protocol's `predictions` for an infer response's outputs: one output as its (nested) array, as
 * MLflow answers a model returning one array; several as `{name: array}`, as it answers a dict of arrays.
 * Throws (the server's fault, a 502 by the caller) on outputs that do not match their shape.
 */
export function tensorsToPredictions(outputs: unknown): unknown {
  if (!Array.isArray(outputs) || outputs.length === 0) throw new Error("the infer response has no outputs");
  const arrays = outputs.map((output, i) => {
    const o = output as Partial<OipTensor> | null;
    if (
      typeof o?.name !== "string" ||
      !isOipDatatype(o.datatype) ||
      !Array.isArray(o.shape) ||
      !o.shape.every((d) => Number.isInteger(d) && d >= 0) ||
      !Array.isArray(o.data)
    )
      throw new Error(`output ${i} is not a tensor (name, datatype, shape, data)`);
    const data = o.data.flat(Number.POSITIVE_INFINITY);
    if (data.length !== o.shape.reduce((a, b) => a * b, 1))
      throw new Error(`output '${o.name}' has ${data.length} values for shape [${o.shape.join(", ")}]`);
    return [o.name, unflatten(data, o.shape)] as const;
  });
  return arrays.length === 1 ? arrays[0]![1] : Object.fromEntries(arrays);
}
