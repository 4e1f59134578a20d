/**
 * A scoring request after parsing, whatever format it came in (dataframe_split, dataframe_records,
 * instances, inputs or text/csv). The gateway parses and validates against the model's signature;
 * the inference worker turns it into the flavor's own inputs (ONNX tensors, a list of texts).
 */
export type ScoringInput =
  /** dataframe_split, dataframe_records or text/csv: named columns, one array per row. */
  | { kind: "dataframe"; columns: string[]; rows: unknown[][] }
  /** instances or inputs holding one unnamed tensor (rows first). */
  | { kind: "tensor"; value: unknown[] }
  /** instances or inputs holding named tensors, each given columnar (rows first). */
  | { kind: "tensors"; values: Record<string, unknown[]> };

export interface ScoringRequest {
  input: ScoringInput;
  /** The optional `params` of the request, passed to predict. */
  params?: Record<string, unknown>;
}
