import { errors } from "@edgeserve/api/errors";
import type { ScoringInput } from "@edgeserve/mlflow/scoring-input";
import { flatten } from "./nested";
import { toTensorData, type TensorData } from "./dtype";

/** What the model declares for one input (from the session's input metadata). */
export interface InputSpec {
  name: string;
  type: string;
  /** Numbers are fixed dims; strings/-1 are symbolic (any size). */
  shape: ReadonlyArray<number | string>;
}

/** One input tensor, ready to become an ort.Tensor. */
export interface Feed {
  name: string;
  type: string;
  data: TensorData;
  dims: number[];
}

/**
 * Turns a scoring input into the model's feeds:
 * - a dataframe whose columns name every model input: one column per input (cells may be arrays);
 * - otherwise a dataframe feeds the model's single input as a 2-D [rows, columns] tensor in column order;
 * - an unnamed tensor feeds the single input; named tensors feed the inputs of the same names.
 */
export function toFeeds(input: ScoringInput, specs: readonly InputSpec[]): Feed[] {
  switch (input.kind) {
    case "dataframe": {
      const byName = new Map(input.columns.map((c, i) => [c, i]));
      if (specs.length > 1 || (specs.length === 1 && byName.has(specs[0]!.name) && input.columns.length === 1)) {
        return specs.map((spec) => {
          const index = byName.get(spec.name);
          if (index === undefined) {
            throw errors.badRequest(
              `Model input '${spec.name}' is missing; the model expects inputs ${describe(specs)}.`,
            );
          }
          return feed(
            spec,
            input.rows.map((row) => row[index]),
          );
        });
      }
      return [feed(single(specs), input.rows)];
    }
    case "tensor":
      return [feed(single(specs), input.value)];
    case "tensors": {
      const unknown = Object.keys(input.values).filter((n) => !specs.some((s) => s.name === n));
      if (unknown.length > 0) {
        throw errors.badRequest(`Unknown model input '${unknown[0]}'; the model expects inputs ${describe(specs)}.`);
      }
      return specs.map((spec) => {
        const value = input.values[spec.name];
        if (value === undefined) {
          throw errors.badRequest(
            `Model input '${spec.name}' is missing; the model expects inputs ${describe(specs)}.`,
          );
        }
        return feed(spec, value);
      });
    }
  }
}

function single(specs: readonly InputSpec[]): InputSpec {
  if (specs.length !== 1) {
    throw errors.badRequest(
      `The model has several inputs ${describe(specs)}; send one named tensor or column per input.`,
    );
  }
  return specs[0]!;
}

function feed(spec: InputSpec, value: unknown): Feed {
  const flat = flatten(value);
  if (!flat)
    throw errors.badRequest(
      `Input '${spec.name}' is not a rectangular array; expected shape ${shapeText(spec.shape)}.`,
    );
  const dims = fitShape(flat.shape, spec);
  return { name: spec.name, type: spec.type, data: toTensorData(flat.values, spec.type, spec.name), dims };
}

/**
 * Checks the given dims against the declared shape. A rank-1 input given as a column of one-element rows
 * (or a 2-D [rows, 1] input given as a plain column) is reshaped, as MLflow does for single-column frames.
 */
function fitShape(given: number[], spec: InputSpec): number[] {
  const declared = spec.shape;
  let dims = given;
  if (dims.length === declared.length + 1 && dims[dims.length - 1] === 1) dims = dims.slice(0, -1);
  else if (dims.length + 1 === declared.length && declared[declared.length - 1] === 1) dims = [...dims, 1];
  const fits =
    dims.length === declared.length && declared.every((d, i) => typeof d !== "number" || d < 0 || d === dims[i]);
  if (!fits) {
    throw errors.badRequest(
      `Input '${spec.name}' has shape ${shapeText(given)} ` +
        `but the model expects ${spec.type} of shape ${shapeText(declared)}.`,
    );
  }
  return dims;
}

function shapeText(shape: ReadonlyArray<number | string>): string {
  return `[${shape.map((d) => (typeof d === "number" && d >= 0 ? d : -1)).join(", ")}]`;
}

function describe(specs: readonly InputSpec[]): string {
  return specs.map((s) => `'${s.name}' (${s.type} ${shapeText(s.shape)})`).join(", ");
}
