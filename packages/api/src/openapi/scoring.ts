import { z } from "zod";
import { databricksQueryExtras } from "../query";

/**
 * The MLflow scoring protocol of custom (pyfunc) models: exactly one input field, optional `params`,
 * plus the fields Databricks adds to every query. One strict object per input field makes the
 * alternatives mutually exclusive, so the JSON Schema `oneOf` says "exactly one".
 */
const common = { params: z.record(z.string(), z.unknown()).optional(), ...databricksQueryExtras };

const dataframeSplitInput = z.strictObject({
  ...common,
  dataframe_split: z.looseObject({
    columns: z.array(z.string()).optional(),
    data: z.array(z.array(z.unknown())),
    index: z.array(z.unknown()).optional(),
  }),
});
const dataframeRecordsInput = z.strictObject({
  ...common,
  dataframe_records: z.array(z.record(z.string(), z.unknown())),
});
const instancesInput = z.strictObject({ ...common, instances: z.array(z.unknown()) });
const inputsInput = z.strictObject({ ...common, inputs: z.unknown() });

export const scoringRequest = z
  .xor([dataframeSplitInput, dataframeRecordsInput, instancesInput, inputsInput])
  .describe("Exactly one of dataframe_split, dataframe_records, instances or inputs, and optional params.");

export const scoringResponse = z
  .looseObject({ predictions: z.unknown() })
  .describe("The model's output in records orientation (feature serving answers `{outputs: [...]}` instead).");
