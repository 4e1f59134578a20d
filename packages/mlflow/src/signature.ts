/**
 * MLflow model signatures (`mlflow/types/schema.py`): the `inputs`, `outputs` and `params` of the
 * MLmodel file's `signature` section, each a JSON string. Column-based (ColSpec) and tensor-based
 * (TensorSpec) schemas, optional columns, and the ParamSchema.
 */

const SCALAR_TYPES = ["boolean", "integer", "long", "float", "double", "string", "binary", "datetime"] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** A column's type: a scalar, or (MLflow ≥ 2.10) an array, object or map of them, or `any`. */
export type ColumnType =
  | { kind: "scalar"; type: ScalarType }
  | { kind: "array"; items: ColumnType }
  | { kind: "object"; properties: { name: string; type: ColumnType; required: boolean }[] }
  | { kind: "map"; values: ColumnType }
  | { kind: "any" };

export interface ColSpec {
  /** Absent for unnamed column signatures (matched by position). */
  name?: string;
  type: ColumnType;
  required: boolean;
}

export interface TensorSpec {
  name?: string;
  /** A numpy dtype name: float32, int64, bool, str, object, … */
  dtype: string;
  /** -1 marks a variable dimension. */
  shape: number[];
}

export type Schema = { kind: "columns"; columns: ColSpec[] } | { kind: "tensors"; tensors: TensorSpec[] };

export interface ParamSpec {
  name: string;
  type: ScalarType;
  default: unknown;
  /** null for a scalar, [-1] for a list. */
  shape: number[] | null;
}

export interface ModelSignature {
  inputs?: Schema;
  outputs?: Schema;
  params?: ParamSpec[];
}

/** Thrown for a signature MLflow itself could not have written. */
export class SignatureError extends Error {
  override name = "SignatureError";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalarType(type: unknown): type is ScalarType {
  return typeof type === "string" && (SCALAR_TYPES as readonly string[]).includes(type);
}

function parseColumnType(spec: Record<string, unknown>, where: string): ColumnType {
  const type = spec.type;
  if (isScalarType(type)) return { kind: "scalar", type };
  if (type === "any") return { kind: "any" };
  if (type === "array") {
    if (!isObject(spec.items)) throw new SignatureError(`${where}: an array type needs 'items'.`);
    return { kind: "array", items: parseColumnType(spec.items, `${where}.items`) };
  }
  if (type === "object") {
    if (!isObject(spec.properties)) throw new SignatureError(`${where}: an object type needs 'properties'.`);
    const properties = Object.entries(spec.properties).map(([name, property]) => {
      if (!isObject(property)) throw new SignatureError(`${where}.properties.${name} must be an object.`);
      return {
        name,
        type: parseColumnType(property, `${where}.properties.${name}`),
        required: property.required !== false,
      };
    });
    return { kind: "object", properties };
  }
  if (type === "map") {
    if (!isObject(spec.values)) throw new SignatureError(`${where}: a map type needs 'values'.`);
    return { kind: "map", values: parseColumnType(spec.values, `${where}.values`) };
  }
  throw new SignatureError(`${where}: unsupported type ${JSON.stringify(type)}.`);
}

function parseTensorSpec(spec: Record<string, unknown>, where: string): TensorSpec {
  const tensor = spec["tensor-spec"];
  if (
    !isObject(tensor) ||
    typeof tensor.dtype !== "string" ||
    !Array.isArray(tensor.shape) ||
    !tensor.shape.every(Number.isInteger)
  )
    throw new SignatureError(`${where}: a tensor needs 'tensor-spec' with a dtype and an integer shape.`);
  return {
    ...(typeof spec.name === "string" && { name: spec.name }),
    dtype: tensor.dtype,
    shape: tensor.shape as number[],
  };
}

function parseJsonList(json: unknown, section: string): Record<string, unknown>[] {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch {
      throw new SignatureError(`signature.${section} is not valid JSON.`);
    }
  }
  if (!Array.isArray(value) || !value.every(isObject))
    throw new SignatureError(`signature.${section} must be a JSON list of specs.`);
  return value;
}

/** Parses one schema (`signature.inputs` or `.outputs`); MLflow stores it as a JSON string. */
export function parseSchema(json: unknown, section = "inputs"): Schema {
  const specs = parseJsonList(json, section);
  if (specs.length === 0) throw new SignatureError(`signature.${section} declares no inputs.`);
  const tensors = specs.filter((s) => s.type === "tensor").length;
  if (tensors > 0 && tensors < specs.length)
    throw new SignatureError(`signature.${section} mixes tensor and column specs.`);
  const where = (i: number) => `signature.${section}[${i}]`;
  if (tensors > 0) {
    const parsed = specs.map((s, i) => parseTensorSpec(s, where(i)));
    checkNamesAllOrNone(parsed, section);
    return { kind: "tensors", tensors: parsed };
  }
  const columns = specs.map(
    (s, i): ColSpec => ({
      ...(typeof s.name === "string" && { name: s.name }),
      type: parseColumnType(s, where(i)),
      required: s.required !== false,
    }),
  );
  checkNamesAllOrNone(columns, section);
  return { kind: "columns", columns };
}

function checkNamesAllOrNone(specs: { name?: string }[], section: string): void {
  const named = specs.filter((s) => s.name !== undefined).length;
  if (named > 0 && named < specs.length)
    throw new SignatureError(`signature.${section}: either every input is named or none is.`);
}

/** Parses `signature.params` (a ParamSchema). */
export function parseParamSchema(json: unknown): ParamSpec[] {
  return parseJsonList(json, "params").map((spec, i) => {
    if (typeof spec.name !== "string") throw new SignatureError(`signature.params[${i}] needs a name.`);
    if (!isScalarType(spec.type))
      throw new SignatureError(
        `signature.params[${i}] ('${spec.name}') has unsupported type ${JSON.stringify(spec.type)}.`,
      );
    const shape = spec.shape === null || spec.shape === undefined ? null : spec.shape;
    if (shape !== null && (!Array.isArray(shape) || !shape.every(Number.isInteger)))
      throw new SignatureError(`signature.params[${i}] ('${spec.name}') has an invalid shape.`);
    return { name: spec.name, type: spec.type, default: spec.default ?? null, shape: shape as number[] | null };
  });
}

/** Parses the MLmodel `signature` section: `{inputs?, outputs?, params?}`, each a JSON string. */
export function parseSignature(section: unknown): ModelSignature {
  if (!isObject(section)) throw new SignatureError("signature must be a mapping of inputs, outputs and params.");
  const signature: ModelSignature = {};
  if (section.inputs != null) signature.inputs = parseSchema(section.inputs, "inputs");
  if (section.outputs != null) signature.outputs = parseSchema(section.outputs, "outputs");
  if (section.params != null) signature.params = parseParamSchema(section.params);
  return signature;
}

/** Python-style tuple text of a shape, as MLflow's messages print it: `(-1, 4)`, `(-1,)`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

const describeProperty = (p: { name: string; type: ColumnType; required: boolean }) =>
  `${p.name}: ${describeColumnType(p.type)}${p.required ? "" : " (optional)"}`;

export function describeColumnType(type: ColumnType): string {
  switch (type.kind) {
    case "scalar":
      return type.type;
    case "any":
      return "any";
    case "array":
      return `Array(${describeColumnType(type.items)})`;
    case "map":
      return `Map(str -> ${describeColumnType(type.values)})`;
    case "object":
      return `{${type.properties.map(describeProperty).join(", ")}}`;
  }
}

const describeTensor = (t: TensorSpec) =>
  `${t.name !== undefined ? `'${t.name}': ` : ""}Tensor('${t.dtype}', ${formatShape(t.shape)})`;

/** The schema as MLflow prints it in enforcement errors: `['a': double (required), 'b': string (optional)]`. */
export function describeSchema(schema: Schema): string {
  if (schema.kind === "tensors") return `[${schema.tensors.map(describeTensor).join(", ")}]`;
  return `[${schema.columns
    .map(
      (c) =>
        `${c.name !== undefined ? `'${c.name}': ` : ""}${describeColumnType(c.type)} ` +
        `(${c.required ? "required" : "optional"})`,
    )
    .join(", ")}]`;
}
