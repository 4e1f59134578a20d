import { errors } from "@edgeserve/api/errors";

export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | string[];

const INTEGER_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * Converts JSON values to the typed array of an ONNX input, as MLflow's scoring server casts a
 * dataframe column to the signature's type: numbers (or numeric strings from CSV) for numeric types,
 * integers for integer types, true/false/0/1 for bool. A value that does not fit names the input.
 */
export function toTensorData(values: unknown[], type: string, inputName: string): TensorData {
  const fail = (value: unknown): never => {
    throw errors.badRequest(
      `Input '${inputName}' expects ${type} values; got ${JSON.stringify(value) ?? String(value)}.`,
    );
  };
  if (type === "string") return values.map((v) => (typeof v === "string" ? v : fail(v)));
  if (type === "bool") {
    return Uint8Array.from(values, (v) => (v === true || v === 1 ? 1 : v === false || v === 0 ? 0 : fail(v)));
  }
  const numbers = values.map((v) => toNumber(v) ?? fail(v));
  const range = INTEGER_RANGES[type];
  if (range) {
    for (const n of numbers) if (!Number.isInteger(n) || n < range[0] || n > range[1]) fail(n);
  }
  switch (type) {
    case "float32":
      return Float32Array.from(numbers);
    case "float64":
      return Float64Array.from(numbers);
    case "int8":
      return Int8Array.from(numbers);
    case "uint8":
      return Uint8Array.from(numbers);
    case "int16":
      return Int16Array.from(numbers);
    case "uint16":
      return Uint16Array.from(numbers);
    case "int32":
      return Int32Array.from(numbers);
    case "uint32":
      return Uint32Array.from(numbers);
    case "int64":
      return BigInt64Array.from(numbers, (n) => BigInt(n));
    case "uint64":
      return BigUint64Array.from(numbers, (n) => BigInt(n));
    default:
      throw errors.badRequest(`Input '${inputName}' has ONNX type ${type}, which this server cannot feed.`);
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Tensor elements as JSON values: bigints become numbers, bool tensors booleans. */
export function fromTensorData(data: ArrayLike<unknown>, type: string): unknown[] {
  const out = Array.from(data as ArrayLike<unknown>);
  if (type === "bool") return out.map((v) => Boolean(v));
  if (type === "int64" || type === "uint64") return out.map((v) => Number(v));
  return out;
}
