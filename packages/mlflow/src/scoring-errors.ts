import { ApiError } from "@edgeserve/api";

/** MLflow's scoring server answers every malformed input with 400 BAD_REQUEST. */
export function badInput(message: string): ApiError {
  return new ApiError("BAD_REQUEST", message);
}

export const SCORING_INPUT_FIELDS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

/** MLflow prints the supported fields as a Python set. */
export const REQUIRED_INPUT_FORMAT =
  `The input must be a JSON dictionary with exactly one of the input ` +
  `fields {${SCORING_INPUT_FIELDS.map((f) => `'${f}'`).join(", ")}}`;

export const SCORING_PROTOCOL_CHANGE_INFO =
  "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, " +
  "you are likely using an outdated scoring request format. To resolve the error, either update your request format " +
  "or adjust your MLflow Model's requirements file to specify an older version of MLflow (for example, change the " +
  "'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are making a request using the MLflow client " +
  "(e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in order to use the new " +
  "request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, see " +
  "https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";

/** A Python-style list literal of names, as MLflow's messages print them: `['a', 'b']`. */
export function pythonList(names: readonly string[]): string {
  return `[${names.map((n) => `'${n}'`).join(", ")}]`;
}

/** The Python type name of a JSON value, for messages that say what was received. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    default:
      return "dict";
  }
}
