/**
 * How numpy/pandas would type JSON values: the names MLflow's enforcement messages print
 * ("Can not safely convert float64 to int32").
 */

export type InferredDtype = "bool" | "int64" | "float64" | "str" | "object" | "empty";

/**
 * The dtype pandas gives a column of these JSON values (a missing value turns int64 into float64, bool into object).
 */
export function inferDtype(values: readonly unknown[]): InferredDtype {
  const present = values.filter((v) => v !== null && v !== undefined);
  const hasMissing = present.length < values.length;
  if (present.length === 0) return values.length === 0 ? "empty" : "float64";
  if (present.every((v) => typeof v === "boolean")) return hasMissing ? "object" : "bool";
  if (present.every((v) => typeof v === "number"))
    return !hasMissing && present.every((v) => Number.isInteger(v)) ? "int64" : "float64";
  if (present.every((v) => typeof v === "string")) return "str";
  return "object";
}

const INT_RANGES: Record<string, [number, number]> = {
  int8: [-(2 ** 7), 2 ** 7 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 2 ** 8 - 1],
  uint16: [0, 2 ** 16 - 1],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/** Whether every value fits a numpy integer dtype (int8 … uint64). */
export function fitsIntegerDtype(values: readonly unknown[], dtype: string): boolean {
  const range = INT_RANGES[dtype];
  if (!range) return false;
  return values.every((v) => typeof v === "number" && Number.isInteger(v) && v >= range[0] && v <= range[1]);
}

export function isIntegerDtype(dtype: string): boolean {
  return Object.hasOwn(INT_RANGES, dtype);
}

export function isFloatDtype(dtype: string): boolean {
  return dtype === "float16" || dtype === "float32" || dtype === "float64";
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** MLflow's JSON scoring input carries binary columns base64-encoded. */
export function isBase64(value: unknown): boolean {
  return typeof value === "string" && BASE64.test(value.replace(/\s+/g, ""));
}

/** Date or date-time text that pandas' to_datetime would read (ISO 8601 and the like). */
export function isDateTimeText(value: unknown): boolean {
  return (
    typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value.replace(" ", "T")))
  );
}
