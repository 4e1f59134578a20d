import type { Schema } from "@edgeserve/mlflow";

/** The signature's string columns: CSV cells there stay text (MLflow passes the signature's dtypes to read_csv). */
export function stringColumnsOf(schema: Schema | undefined): Set<string> {
  if (schema?.kind !== "columns") return new Set();
  return new Set(
    schema.columns
      .filter((c) => c.name !== undefined && c.type.kind === "scalar" && c.type.type === "string")
      .map((c) => c.name!),
  );
}
