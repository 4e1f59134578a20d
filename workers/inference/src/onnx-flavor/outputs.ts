import { fromTensorData } from "./dtype";
import { nest } from "./nested";

/** One output tensor as the session returned it. */
export interface Output {
  name: string;
  type: string;
  data: ArrayLike<unknown>;
  dims: readonly number[];
}

/**
 * Outputs → MLflow-style predictions. One output: its rows as a list (a trailing dim of 1 squeezed,
 * so a [n, 1] regression output becomes n numbers). Several: one record `{output_name: value}` per row.
 */
export function toPredictions(outputs: readonly Output[]): unknown[] {
  const rowsByOutput = outputs.map((o) => rowsOf(o));
  if (outputs.length === 1) return rowsByOutput[0]!;
  const count = Math.max(...rowsByOutput.map((rows) => rows.length));
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(outputs.map((o, j) => [o.name, rowsByOutput[j]![i]])),
  );
}

function rowsOf(output: Output): unknown[] {
  let dims = [...output.dims];
  if (dims.length >= 2 && dims[dims.length - 1] === 1) dims = dims.slice(0, -1);
  const values = fromTensorData(output.data, output.type);
  if (dims.length === 0) return values;
  return nest(values, dims) as unknown[];
}
