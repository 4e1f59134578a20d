import { errors } from "@edgeserve/api/errors";
import type { ScoringInput } from "@edgeserve/mlflow/scoring-input";

/**
 * The texts a text pipeline reads: a dataframe's single string column, an unnamed list of strings
 * (`instances`/`inputs`), or a single named list of strings.
 */
export function toTexts(input: ScoringInput): string[] {
  let values: unknown[];
  switch (input.kind) {
    case "dataframe":
      if (input.columns.length !== 1) {
        throw errors.badRequest(`Text models read one string column; got columns ${JSON.stringify(input.columns)}.`);
      }
      values = input.rows.map((row) => row[0]);
      break;
    case "tensor":
      values = input.value;
      break;
    case "tensors": {
      const names = Object.keys(input.values);
      if (names.length !== 1) {
        throw errors.badRequest(`Text models read one list of strings; got inputs ${JSON.stringify(names)}.`);
      }
      values = input.values[names[0]!]!;
      break;
    }
  }
  if (values.length === 0) throw errors.badRequest("The input holds no texts.");
  values.forEach((v, i) => {
    if (typeof v !== "string") {
      throw errors.badRequest(`Input row ${i} must be a string; got ${JSON.stringify(v) ?? String(v)}.`);
    }
  });
  return values as string[];
}
