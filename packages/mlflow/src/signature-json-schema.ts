import {
  type ColSpec,
  type ColumnType,
  type ModelSignature,
  type ParamSpec,
  type ScalarType,
  type Schema,
  type TensorSpec,
  describeSchema,
} from "./signature";

type JsonSchema = Record<string, unknown>;

const SCALAR_SCHEMA: Record<ScalarType, JsonSchema> = {
  boolean: { type: "boolean" },
  integer: { type: "integer", minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
  long: { type: "integer" },
  float: { type: "number" },
  double: { type: "number" },
  string: { type: "string" },
  binary: { type: "string", contentEncoding: "base64" },
  datetime: { type: "string", description: "A date or date-time, e.g. 2024-01-31 or 2024-01-31T12:00:00." },
};

/** The JSON Schema of one value of a column type. */
function columnTypeJsonSchema(type: ColumnType): JsonSchema {
  switch (type.kind) {
    case "scalar":
      return { ...SCALAR_SCHEMA[type.type] };
    case "any":
      return {};
    case "array":
      return { type: "array", items: columnTypeJsonSchema(type.items) };
    case "map":
      return { type: "object", additionalProperties: columnTypeJsonSchema(type.values) };
    case "object":
      return {
        type: "object",
        properties: Object.fromEntries(type.properties.map((p) => [p.name, columnTypeJsonSchema(p.type)])),
        required: type.properties.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false,
      };
  }
}

/** Float columns may hold missing values (NaN), sent as null. */
function cellSchema(column: ColSpec): JsonSchema {
  const schema = columnTypeJsonSchema(column.type);
  const nullable =
    column.type.kind === "scalar" && ["float", "double", "string", "datetime"].includes(column.type.type);
  return nullable ? { anyOf: [schema, { type: "null" }] } : schema;
}

function dtypeSchema(dtype: string): JsonSchema {
  if (dtype.startsWith("float")) return { type: "number" };
  if (/^u?int\d+$/.test(dtype)) return { type: "integer" };
  if (dtype === "bool") return { type: "boolean" };
  if (dtype === "object") return {};
  return { type: "string" };
}

/** A nested list of a tensor's shape (fixed dimensions become min/maxItems). */
export function tensorJsonSchema(spec: Pick<TensorSpec, "dtype" | "shape">): JsonSchema {
  return spec.shape.reduceRight<JsonSchema>(
    (items, dim) => ({ type: "array", items, ...(dim >= 0 && { minItems: dim, maxItems: dim }) }),
    dtypeSchema(spec.dtype),
  );
}

function recordSchema(columns: ColSpec[]): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(columns.map((c) => [c.name!, cellSchema(c)])),
    required: columns.filter((c) => c.required).map((c) => c.name!),
    description: "Columns the signature does not declare are ignored.",
  };
}

/** The input field → value schemas a signature allows (dataframe_split, dataframe_records, instances, inputs). */
function inputFieldSchemas(schema: Schema): Record<string, JsonSchema> {
  if (schema.kind === "tensors") {
    const named = schema.tensors.every((t) => t.name !== undefined);
    if (!named) {
      const tensor = tensorJsonSchema(schema.tensors[0]!);
      return { instances: tensor, inputs: tensor };
    }
    const rowOf = (t: TensorSpec) => tensorJsonSchema({ dtype: t.dtype, shape: t.shape.slice(1) });
    const names = schema.tensors.map((t) => t.name!);
    return {
      instances: {
        type: "array",
        items: {
          type: "object",
          properties: Object.fromEntries(schema.tensors.map((t) => [t.name!, rowOf(t)])),
          required: names,
        },
      },
      inputs: {
        type: "object",
        properties: Object.fromEntries(schema.tensors.map((t) => [t.name!, tensorJsonSchema(t)])),
        required: names,
      },
    };
  }
  const named = schema.columns.every((c) => c.name !== undefined);
  const row: JsonSchema = {
    type: "array",
    prefixItems: schema.columns.map(cellSchema),
    minItems: schema.columns.filter((c) => c.required).length,
  };
  const split: JsonSchema = {
    type: "object",
    properties: {
      ...(named && {
        columns: {
          type: "array",
          prefixItems: schema.columns.map((c) => ({ const: c.name })),
          description: "In this order, as the rows' cells are.",
        },
      }),
      data: { type: "array", items: row },
      index: { type: "array" },
    },
    required: ["data"],
  };
  if (!named) return { dataframe_split: split, instances: { type: "array", items: row } };
  const record = recordSchema(schema.columns);
  return {
    dataframe_split: split,
    dataframe_records: { type: "array", items: record },
    instances: { type: "array", items: record },
    inputs: {
      type: "object",
      properties: Object.fromEntries(schema.columns.map((c) => [c.name!, { type: "array", items: cellSchema(c) }])),
      required: schema.columns.filter((c) => c.required).map((c) => c.name!),
    },
  };
}

function paramsJsonSchema(params: ParamSpec[]): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(
      params.map((p) => {
        const value = columnTypeJsonSchema({ kind: "scalar", type: p.type });
        return [
          p.name,
          { ...(p.shape ? { type: "array", items: value } : value), ...(p.default !== null && { default: p.default }) },
        ];
      }),
    ),
    description: "Params the signature does not declare are ignored; missing ones take their default.",
  };
}

function outputJsonSchema(schema: Schema | undefined): JsonSchema {
  if (!schema) return {};
  if (schema.kind === "tensors") {
    if (schema.tensors.length === 1) return tensorJsonSchema(schema.tensors[0]!);
    return {
      type: "object",
      properties: Object.fromEntries(schema.tensors.map((t, i) => [t.name ?? String(i), tensorJsonSchema(t)])),
    };
  }
  if (schema.columns.length === 1 && schema.columns[0]!.name === undefined)
    return { type: "array", items: cellSchema(schema.columns[0]!) };
  return {
    type: "array",
    items: {
      type: "object",
      properties: Object.fromEntries(schema.columns.map((c, i) => [c.name ?? String(i), cellSchema(c)])),
    },
  };
}

/**
 * The exact request and response JSON Schemas of a model's scoring calls, from its signature:
 * one alternative per input field the signature allows (exactly one, plus params and Databricks'
 * query extras), and `{predictions}` shaped by the outputs.
 */
export function signatureJsonSchemas(signature: ModelSignature): { request: JsonSchema; response: JsonSchema } {
  const common: JsonSchema = {
    ...(signature.params && { params: paramsJsonSchema(signature.params) }),
    client_request_id: { type: "string" },
    usage_context: { type: "object", additionalProperties: { type: "string" } },
  };
  const fields = signature.inputs
    ? inputFieldSchemas(signature.inputs)
    : { dataframe_split: {}, dataframe_records: {}, instances: {}, inputs: {} };
  return {
    request: {
      oneOf: Object.entries(fields).map(([field, schema]) => ({
        type: "object",
        properties: { [field]: schema, ...common },
        required: [field],
        additionalProperties: false,
      })),
      description: signature.inputs
        ? `Exactly one input field, validated against the model signature ${describeSchema(signature.inputs)}.`
        : "Exactly one input field (the model has no input signature).",
    },
    response: {
      type: "object",
      properties: { predictions: outputJsonSchema(signature.outputs) },
      required: ["predictions"],
    },
  };
}
