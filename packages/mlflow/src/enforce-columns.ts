import { type ColumnType, type ScalarType, describeColumnType } from "./signature";
import { fitsIntegerDtype, inferDtype, isBase64, isDateTimeText } from "./value-types";

/** Thrown with MLflow's message; enforce-signature wraps it into the 400 the caller sees. */
export class EnforcementError extends Error {
  override name = "EnforcementError";
}

/** The numpy dtype MLflow names for each column type (`DataType.to_numpy()`). */
const NUMPY_NAME: Record<ScalarType, string> = {
  boolean: "bool",
  integer: "int32",
  long: "int64",
  float: "float32",
  double: "float64",
  string: "str",
  binary: "bytes",
  datetime: "datetime64[ns]",
};

const MISSING_VALUES_HINT =
  " Hint: the type mismatch is likely caused by missing values. Integer columns in python can not represent missing " +
  "values and are therefore encoded as floats. The best way " +
  "to avoid this problem is to infer the model schema based on " +
  "a realistic data sample (training dataset) that includes missing values. Alternatively, you can declare integer " +
  "columns as doubles (float64) whenever these columns may have missing values.";

function incompatible(name: string, actual: string, type: ScalarType, hint = ""): EnforcementError {
  return new EnforcementError(
    `Incompatible input types for column ${name}. Can not safely convert ${actual} to ${NUMPY_NAME[type]}.${hint}`,
  );
}

/**
 * Checks one column against a scalar ColSpec type with MLflow's rules (`_enforce_mlflow_datatype`):
 * same type passes, safe conversions are allowed (int → long, int → float/double, any number → double),
 * anything else names the column and both types. JSON numbers need no conversion, so values pass as they are.
 */
function enforceScalarColumn(name: string, values: readonly unknown[], type: ScalarType): unknown[] {
  const dtype = inferDtype(values);
  if (dtype === "empty") return [...values];
  switch (type) {
    case "boolean":
      if (dtype !== "bool") throw incompatible(name, dtype, type);
      break;
    case "integer":
    case "long": {
      const present = values.filter((v) => v !== null && v !== undefined);
      const allIntegers = present.every((v) => typeof v === "number" && Number.isInteger(v));
      if (dtype !== "int64")
        throw incompatible(name, dtype, type, dtype === "float64" && allIntegers ? MISSING_VALUES_HINT : "");
      if (!fitsIntegerDtype(values, NUMPY_NAME[type])) throw incompatible(name, "int64", type);
      break;
    }
    case "float":
    case "double":
      if (dtype !== "int64" && dtype !== "float64") throw incompatible(name, dtype, type);
      break;
    case "string":
      // pandas keeps a column holding any string as `object`, which MLflow passes for string.
      if (dtype !== "str" && dtype !== "object") throw incompatible(name, dtype, type);
      break;
    case "binary":
      if (!values.every((v) => v === null || isBase64(v)))
        throw new EnforcementError(
          `Incompatible input types for column ${name}. Expected base64-encoded bytes for type binary.`,
        );
      break;
    case "datetime":
      if (!values.every((v) => v === null || isDateTimeText(v)))
        throw new EnforcementError(`Failed to convert column ${name} from type ${dtype} to datetime.`);
      break;
  }
  return [...values];
}

/** Checks one value against an array/object/map type (MLflow's `_enforce_type`). */
function checkValue(value: unknown, type: ColumnType, where: string): void {
  const fail = (expected: string) =>
    new EnforcementError(
      `Failed to enforce schema for ${where}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}.`,
    );
  switch (type.kind) {
    case "any":
      return;
    case "scalar":
      if (value === null) return;
      enforceScalarColumn(where, [value], type.type);
      return;
    case "array":
      if (!Array.isArray(value)) throw fail(`a list of ${describeColumnType(type.items)}`);
      value.forEach((item, i) => checkValue(item, type.items, `${where}[${i}]`));
      return;
    case "map":
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw fail(`a dictionary of ${describeColumnType(type.values)}`);
      for (const [key, item] of Object.entries(value)) checkValue(item, type.values, `${where}.${key}`);
      return;
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail(describeColumnType(type));
      const record = value as Record<string, unknown>;
      const missing = type.properties.filter((p) => p.required && !Object.hasOwn(record, p.name)).map((p) => p.name);
      if (missing.length > 0)
        throw new EnforcementError(`Missing required properties ${JSON.stringify(missing)} in ${where}.`);
      const known = new Set(type.properties.map((p) => p.name));
      const unknown = Object.keys(record).filter((k) => !known.has(k));
      if (unknown.length > 0)
        throw new EnforcementError(
          `Invalid properties not defined in the schema found in ${where}: ${JSON.stringify(unknown)}.`,
        );
      for (const p of type.properties)
        if (Object.hasOwn(record, p.name)) checkValue(record[p.name], p.type, `${where}.${p.name}`);
      return;
    }
  }
}

/** Checks one column's values against its ColSpec type; returns the values to send on. */
export function enforceColumn(name: string, values: readonly unknown[], type: ColumnType): unknown[] {
  if (type.kind === "scalar") return enforceScalarColumn(name, values, type.type);
  values.forEach((value, row) => {
    if (value !== null) checkValue(value, type, `column ${name} (row ${row})`);
  });
  return [...values];
}
