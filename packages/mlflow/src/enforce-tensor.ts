import { EnforcementError } from "./enforce-columns";
import { type TensorSpec, formatShape } from "./signature";
import { fitsIntegerDtype, inferDtype, isFloatDtype, isIntegerDtype } from "./value-types";

/** The shape of a nested list (null when ragged: rows of different lengths), and its scalar leaves. */
function shapeOf(value: unknown): { shape: number[] | null; leaves: unknown[] } {
  if (!Array.isArray(value)) return { shape: [], leaves: [value] };
  const parts = value.map(shapeOf);
  const leaves = parts.flatMap((p) => p.leaves);
  const first = parts[0]?.shape ?? [];
  const uniform = parts.every(
    (p) =>
      p.shape !== null && first !== null && p.shape.length === first.length && p.shape.every((d, i) => d === first[i]),
  );
  return { shape: uniform && first !== null ? [value.length, ...first] : null, leaves };
}

function dtypeMatches(expected: string, leaves: readonly unknown[]): boolean {
  if (expected === "object") return true;
  if (isFloatDtype(expected)) return leaves.every((v) => v === null || typeof v === "number");
  if (isIntegerDtype(expected)) return fitsIntegerDtype(leaves, expected);
  if (expected === "bool") return leaves.every((v) => typeof v === "boolean");
  if (expected === "str" || expected.startsWith("<U") || expected === "bytes" || expected.startsWith("datetime64"))
    return leaves.every((v) => typeof v === "string");
  return false;
}

/**
 * Checks a tensor against its TensorSpec like MLflow's `_enforce_tensor_spec`: the same number of
 * dimensions, each fixed dimension equal, and values of the declared dtype (JSON numbers may fill any
 * float dtype; integer dtypes need integers in range).
 */
export function enforceTensor(value: unknown, spec: TensorSpec): unknown {
  const { shape, leaves } = shapeOf(value);
  const which = spec.name !== undefined ? ` for input '${spec.name}'` : "";
  const expectedShape = formatShape(spec.shape);
  if (shape === null) {
    // A ragged list is allowed only where the spec leaves a later dimension open and holds objects.
    if (spec.dtype === "object" && spec.shape.slice(1).includes(-1)) return value;
    throw new EnforcementError(
      `Shape of input is ragged (rows of different lengths)${which}; ` +
        `it does not match expected shape ${expectedShape}.`,
    );
  }
  if (shape.length !== spec.shape.length || spec.shape.some((d, i) => d !== -1 && d !== shape[i]))
    throw new EnforcementError(
      `Shape of input ${formatShape(shape)} does not match expected shape ${expectedShape}${which}.`,
    );
  if (!dtypeMatches(spec.dtype, leaves)) {
    const actual = inferDtype(leaves);
    throw new EnforcementError(
      `dtype of input ${actual === "empty" ? "float64" : actual} does not match expected dtype ${spec.dtype}${which}.`,
    );
  }
  return value;
}

/**
 * A DataFrame column fed to a TensorSpec (MLflow's `_reshape_and_cast_pandas_column_values`): scalars
 * fill a (-1,) or (-1, 1) tensor; list values are stacked as rows.
 */
export function tensorFromColumn(name: string | undefined, values: readonly unknown[], spec: TensorSpec): unknown[] {
  const label = name !== undefined ? `input ${name}` : "the unnamed input";
  if (spec.shape[0] !== -1 || spec.shape.slice(1).includes(-1))
    throw new EnforcementError(
      `For pandas dataframe input, the first dimension of shape must be ` +
        `a variable dimension and other dimensions must be fixed, but in ` +
        `model signature the shape of ${label} is ${formatShape(spec.shape)}.`,
    );
  if (values.length > 0 && !Array.isArray(values[0])) {
    if (spec.shape.length === 1) return [...values];
    if (spec.shape.length === 2 && spec.shape[1] === 1) return values.map((v) => [v]);
    throw new EnforcementError(
      `The input pandas dataframe column '${name ?? 0}' contains scalar values, which requires ` +
        `the shape to be (-1,) or (-1, 1), but got tensor spec shape of ${formatShape(spec.shape)}.`,
    );
  }
  return [...values];
}
