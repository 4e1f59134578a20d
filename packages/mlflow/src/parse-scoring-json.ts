import type { ScoringInput, ScoringRequest } from "./scoring-input";
import {
  REQUIRED_INPUT_FORMAT,
  SCORING_INPUT_FIELDS,
  SCORING_PROTOCOL_CHANGE_INFO,
  badInput,
  pythonTypeName,
} from "./scoring-errors";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Decodes a JSON scoring body with the messages of MLflow's `_decode_json_input`. */
export function decodeScoringJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // MLflow also echoes the input; we leave it out (it can be 16 MB, and may hold data the caller would not log).
    throw badInput(
      `Invalid input. Ensure that input is a valid JSON formatted ` +
        `string. Error: '${e instanceof Error ? e.message : String(e)}'`,
    );
  }
  if (isObject(value)) return value;
  if (Array.isArray(value)) throw badInput(`Invalid input. ${REQUIRED_INPUT_FORMAT}. Received a list.`);
  throw badInput(`Invalid input. ${REQUIRED_INPUT_FORMAT}. Received unexpected input type '${pythonTypeName(value)}'.`);
}

/**
 * The scoring request of a decoded JSON body: exactly one of dataframe_split, dataframe_records,
 * instances or inputs (other keys, such as Databricks' client_request_id, are ignored as MLflow does),
 * plus the optional params.
 */
export function parseScoringJson(body: Record<string, unknown>): ScoringRequest {
  const fields = SCORING_INPUT_FIELDS.filter((f) => Object.hasOwn(body, f));
  if (fields.length !== 1) {
    const received = `[${Object.keys(body)
      .map((k) => `'${k}'`)
      .join(", ")}]`;
    throw badInput(
      `${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: ${received}. ${SCORING_PROTOCOL_CHANGE_INFO}`,
    );
  }
  const field = fields[0]!;
  const value = body[field];
  const input =
    field === "dataframe_split"
      ? dataframeFromSplit(value)
      : field === "dataframe_records"
        ? dataframeFromRecords(value)
        : field === "instances"
          ? tensorFromInstances(value)
          : tensorFromInputs(value);
  const request: ScoringRequest = { input };
  if (body.params !== undefined && body.params !== null) {
    if (!isObject(body.params))
      throw badInput(`Parameters must be a dictionary. Got type '${pythonTypeName(body.params)}'.`);
    request.params = body.params;
  }
  return request;
}

const dataframeError = (orient: string, detail: string) =>
  badInput(`Failed to parse input as a Pandas DataFrame (orient '${orient}'): ${detail}`);

/** pandas `orient="split"`: `{columns?, data, index?}`; without columns they are named 0, 1, … */
function dataframeFromSplit(value: unknown): ScoringInput {
  if (!isObject(value))
    throw dataframeError("split", `expected a dictionary with 'columns' and 'data', got ${pythonTypeName(value)}.`);
  const unknownKeys = Object.keys(value).filter((k) => !["columns", "data", "index"].includes(k));
  if (unknownKeys.length > 0)
    throw dataframeError("split", `JSON data had unexpected key(s): ${unknownKeys.join(", ")}.`);
  const data = value.data ?? [];
  if (!Array.isArray(data))
    throw dataframeError("split", `'data' must be a list of rows, got ${pythonTypeName(data)}.`);
  let columns: string[];
  if (value.columns === undefined) {
    const width = data.reduce<number>((max, row) => Math.max(max, Array.isArray(row) ? row.length : 1), 0);
    columns = Array.from({ length: width }, (_, i) => String(i));
  } else {
    if (!Array.isArray(value.columns) || !value.columns.every((c) => typeof c === "string" || typeof c === "number"))
      throw dataframeError("split", "'columns' must be a list of column names.");
    columns = value.columns.map(String);
  }
  if (new Set(columns).size !== columns.length) throw dataframeError("split", "column names must be unique.");
  // A list of scalars is one column, as pandas builds it.
  const rows = data.map((row) => (Array.isArray(row) ? row : [row]));
  rows.forEach((row, i) => {
    if (row.length !== columns.length)
      throw dataframeError(
        "split",
        `${columns.length} columns passed, passed data had ${row.length} columns (row ${i}).`,
      );
  });
  if (value.index !== undefined && (!Array.isArray(value.index) || value.index.length !== rows.length))
    throw dataframeError("split", `'index' must be a list with one label per row (${rows.length}).`);
  return { kind: "dataframe", columns, rows };
}

/** pandas `orient="records"`: a list of `{column: value}`; a column missing from a record is null. */
export function dataframeFromRecords(value: unknown): ScoringInput {
  if (!Array.isArray(value))
    throw dataframeError("records", `expected a list of records, got ${pythonTypeName(value)}.`);
  const columns: string[] = [];
  const seen = new Set<string>();
  value.forEach((record, i) => {
    if (!isObject(record))
      throw dataframeError("records", `record ${i} is a ${pythonTypeName(record)}, not a dictionary.`);
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  });
  const rows = (value as Record<string, unknown>[]).map((record) =>
    columns.map((c) => (Object.hasOwn(record, c) ? record[c] : null)),
  );
  return { kind: "dataframe", columns, rows };
}

const tfServingError = () =>
  badInput(
    "Failed to parse data as TF serving input. Ensure that the " +
      "input is a valid JSON-formatted string that conforms to the " +
      "request body for TF serving's Predict API as documented at https://www.tensorflow.org/tfx/serving/api_rest#request_format_2",
  );

/** Named tensors must all have the same number of rows, as MLflow's parse_tf_serving_input checks. */
function namedTensors(values: Record<string, unknown[]>): ScoringInput {
  const lengths = new Set(Object.values(values).map((v) => v.length));
  if (lengths.size > 1)
    throw badInput(
      "Failed to parse data as TF serving input. The length of values for each input/column name are not the same",
    );
  return { kind: "tensors", values };
}

/** TF-serving row format: a list of rows; rows that are dictionaries become named tensors (columnar). */
function tensorFromInstances(value: unknown): ScoringInput {
  if (!Array.isArray(value)) throw tfServingError();
  if (value.length > 0 && isObject(value[0])) {
    const values: Record<string, unknown[]> = {};
    for (const item of value) {
      if (!isObject(item)) throw tfServingError();
      for (const [key, v] of Object.entries(item)) (values[key] ??= []).push(v);
    }
    return namedTensors(values);
  }
  return { kind: "tensor", value };
}

/** TF-serving columnar format: one tensor, or a dictionary of named tensors; a scalar is a single row. */
function tensorFromInputs(value: unknown): ScoringInput {
  if (isObject(value)) {
    const values: Record<string, unknown[]> = {};
    for (const [key, v] of Object.entries(value)) values[key] = Array.isArray(v) ? v : [v];
    return namedTensors(values);
  }
  if (value === undefined) throw tfServingError();
  return { kind: "tensor", value: Array.isArray(value) ? value : [value] };
}
