/** Open Inference Protocol v2 wire types (KServe, Triton, MLServer): the parts the gateway sends and reads. */

const OIP_DATATYPES = [
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BYTES",
] as const;
export type OipDatatype = (typeof OIP_DATATYPES)[number];

/** A tensor's metadata (`GET /v2/models/{m}`): -1 marks a variable dimension. */
export interface OipTensorMetadata {
  name: string;
  datatype: OipDatatype;
  shape: number[];
}

export interface OipModelMetadata {
  inputs: OipTensorMetadata[];
  outputs: OipTensorMetadata[];
}

/** A tensor of an infer request or response: data flattened row-major. */
export interface OipTensor {
  name: string;
  shape: number[];
  datatype: OipDatatype;
  data: unknown[];
}

export function isOipDatatype(value: unknown): value is OipDatatype {
  return typeof value === "string" && (OIP_DATATYPES as readonly string[]).includes(value);
}
