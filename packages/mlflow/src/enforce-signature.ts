import { EnforcementError, enforceColumn } from "./enforce-columns";
import { enforceTensor, tensorFromColumn } from "./enforce-tensor";
import { dataframeFromRecords } from "./parse-scoring-json";
import type { ScoringInput } from "./scoring-input";
import { badInput, pythonList } from "./scoring-errors";
import { type ColSpec, type Schema, type TensorSpec, describeSchema } from "./signature";

type Dataframe = Extract<ScoringInput, { kind: "dataframe" }>;

function column(frame: Dataframe, name: string): unknown[] {
  const index = frame.columns.indexOf(name);
  return frame.rows.map((row) => row[index]);
}

function frameFromColumns(columns: string[], values: unknown[][]): Dataframe {
  const length = values[0]?.length ?? 0;
  return { kind: "dataframe", columns, rows: Array.from({ length }, (_, r) => values.map((v) => v[r])) };
}

/** Any input as the DataFrame pandas would build from it (`pd.DataFrame(input)`). */
function asDataframe(input: ScoringInput, schema: Extract<Schema, { kind: "columns" }>): Dataframe {
  if (input.kind === "dataframe") return input;
  if (input.kind === "tensors") return frameFromColumns(Object.keys(input.values), Object.values(input.values));
  const names = schema.columns.map((c) => c.name);
  // MLflow matches a bare list with a signature of a single named column.
  if (names.length === 1 && names[0] !== undefined) return frameFromColumns([names[0]], [input.value]);
  if (input.value.length > 0 && input.value.every((v) => typeof v === "object" && v !== null && !Array.isArray(v)))
    return dataframeFromRecords(input.value) as Dataframe;
  const rows = input.value.map((v) => (Array.isArray(v) ? v : [v]));
  const width = rows.reduce((max, r) => Math.max(max, r.length), 0);
  return { kind: "dataframe", columns: Array.from({ length: width }, (_, i) => String(i)), rows };
}

function checkMissing(required: string[], supplied: string[], optional: string[]): void {
  const missing = required.filter((n) => !supplied.includes(n));
  if (missing.length === 0) return;
  const extra = supplied.filter((n) => !required.includes(n) && !optional.includes(n));
  throw new EnforcementError(
    `Model is missing inputs ` +
      `${pythonList(missing)}.${extra.length > 0 ? ` Note that there were extra inputs: ${pythonList(extra)}` : ""}`,
  );
}

/** Column signatures: required columns present, extra columns dropped (as MLflow does), each column's type checked. */
function enforceColumns(input: ScoringInput, schema: Extract<Schema, { kind: "columns" }>): ScoringInput {
  const frame = asDataframe(input, schema);
  const named = schema.columns.every((c) => c.name !== undefined);
  if (!named) {
    if (frame.columns.length < schema.columns.length)
      throw new EnforcementError(
        `Model inference is missing inputs. The model signature declares ${schema.columns.length} ` +
          `inputs  but the provided value only has ${frame.columns.length} inputs. ` +
          `Note: the inputs were not named in the signature so we can only verify their count.`,
      );
    const kept = frame.columns.slice(0, schema.columns.length);
    return frameFromColumns(
      kept,
      kept.map((name, i) => enforceColumn(name, column(frame, name), schema.columns[i]!.type)),
    );
  }
  const specs = schema.columns as (ColSpec & { name: string })[];
  const required = specs.filter((c) => c.required);
  const optional = specs.filter((c) => !c.required);
  checkMissing(
    required.map((c) => c.name),
    frame.columns,
    optional.map((c) => c.name),
  );
  const kept = [...required, ...optional.filter((c) => frame.columns.includes(c.name))];
  return frameFromColumns(
    kept.map((c) => c.name),
    kept.map((c) => enforceColumn(c.name, column(frame, c.name), c.type)),
  );
}

/** Tensor signatures: named tensors each checked against its spec, or the single unnamed one. */
function enforceTensors(input: ScoringInput, specs: TensorSpec[]): ScoringInput {
  const named = specs.every((s) => s.name !== undefined);
  if (!named) {
    const spec = specs[0]!;
    if (input.kind === "tensor") return { kind: "tensor", value: enforceTensor(input.value, spec) as unknown[] };
    if (input.kind === "tensors") {
      const values = Object.values(input.values);
      if (values.length === 1) return { kind: "tensor", value: enforceTensor(values[0], spec) as unknown[] };
      throw new EnforcementError(
        "This model contains a tensor-based model signature with no input " +
          "names, which suggests a numpy array input or a pandas dataframe " +
          "input with proper column values, but an input of type dict was found.",
      );
    }
    if (input.rows.length === 0) throw new EnforcementError("Input DataFrame is empty.");
    if (input.columns.length === 1)
      return {
        kind: "tensor",
        value: enforceTensor(tensorFromColumn(undefined, column(input, input.columns[0]!), spec), spec) as unknown[],
      };
    if (spec.shape.length !== 2 || spec.shape[0] !== -1 || spec.shape[1] !== input.columns.length)
      throw new EnforcementError(
        `This model contains a model signature with an unnamed input. Since the input ` +
          `data is a pandas DataFrame containing multiple columns, the input shape ` +
          `must be of the structure (-1, number_of_dataframe_columns). Instead, the input ` +
          `DataFrame passed had ${input.columns.length} columns and an input shape ` +
          `of (${spec.shape.join(", ")}) with all values within the DataFrame of scalar ` +
          `type. Please adjust the passed in DataFrame to match the expected structure`,
      );
    return { kind: "tensor", value: enforceTensor(input.rows, spec) as unknown[] };
  }
  const names = specs.map((s) => s.name!);
  let supplied: Record<string, unknown[]>;
  if (input.kind === "tensors") supplied = input.values;
  else if (input.kind === "dataframe") {
    checkMissing(names, input.columns, []);
    supplied = Object.fromEntries(specs.map((s) => [s.name!, tensorFromColumn(s.name, column(input, s.name!), s)]));
  } else if (specs.length === 1) supplied = { [names[0]!]: input.value };
  else
    throw new EnforcementError(
      "This model contains a tensor-based model signature with input names, which suggests " +
        "a dictionary input mapping input name to tensor, but an input of type list was found.",
    );
  checkMissing(names, Object.keys(supplied), []);
  return {
    kind: "tensors",
    values: Object.fromEntries(specs.map((s) => [s.name!, enforceTensor(supplied[s.name!], s) as unknown[]])),
  };
}

/**
 * Validates a scoring input against the model's input schema the way MLflow's `_enforce_schema`
 * does, and returns the input to send on (columns in signature order, extras dropped). Without a
 * schema the input passes unchanged. Failures are 400 BAD_REQUEST with MLflow's message.
 */
export function enforceSignature(input: ScoringInput, schema: Schema | undefined): ScoringInput {
  if (!schema) return input;
  try {
    return schema.kind === "columns" ? enforceColumns(input, schema) : enforceTensors(input, schema.tensors);
  } catch (e) {
    if (e instanceof EnforcementError)
      throw badInput(`Failed to enforce schema of data with schema ${describeSchema(schema)}. Error: ${e.message}`);
    throw e;
  }
}
