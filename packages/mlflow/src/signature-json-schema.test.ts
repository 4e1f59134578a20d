import { expectValidOpenApi31 } from "@edgeserve/api/openapi/assert-valid-openapi";
import { buildEndpointQueryOpenApi } from "@edgeserve/api/openapi/endpoint-query";
import { describe, expect, it } from "vitest";
import { parseSignature } from "./signature";
import { signatureJsonSchemas, tensorJsonSchema } from "./signature-json-schema";

type Json = Record<string, any>;

const columns = parseSignature({
  inputs:
    '[{"type": "double", "name": "length"}, {"type": "long", "name": ' +
    '"count"}, {"type": "string", "name": "tag", "required": false}]',
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]',
  params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]',
});

describe("signatureJsonSchemas", () => {
  it("a column signature gives one alternative per input field, with typed columns and params", () => {
    const { request, response } = signatureJsonSchemas(columns) as Json;
    expect(request.oneOf.map((alt: Json) => alt.required)).toEqual([
      ["dataframe_split"],
      ["dataframe_records"],
      ["instances"],
      ["inputs"],
    ]);
    const records = request.oneOf[1].properties.dataframe_records.items;
    expect(records.required).toEqual(["length", "count"]);
    expect(records.properties.count).toEqual({ type: "integer" });
    expect(request.oneOf[0].properties.dataframe_split.properties.columns.prefixItems).toEqual([
      { const: "length" },
      { const: "count" },
      { const: "tag" },
    ]);
    expect(request.oneOf[3].properties.params.properties.threshold).toEqual({ type: "number", default: 0.5 });
    expect(response.properties.predictions).toEqual({ type: "array", items: { type: "integer" } });
  });

  it("a tensor signature gives nested arrays with the fixed dimensions", () => {
    expect(tensorJsonSchema({ dtype: "float32", shape: [-1, 4] })).toEqual({
      type: "array",
      items: { type: "array", items: { type: "number" }, minItems: 4, maxItems: 4 },
    });
    const { request } = signatureJsonSchemas(
      parseSignature({ inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]' }),
    ) as Json;
    expect(request.oneOf.map((alt: Json) => alt.required)).toEqual([["instances"], ["inputs"]]);
  });

  it("feeds a valid OpenAPI 3.1 document for the endpoint", async () => {
    const doc = buildEndpointQueryOpenApi({
      name: "iris",
      servedEntityNames: ["iris-1"],
      signature: signatureJsonSchemas(columns),
    }) as Json;
    await expectValidOpenApi31(doc);
    expect(doc.components.schemas.ScoringRequest.description).toContain("'length': double (required)");
    expect(doc.components.schemas.ScoringResponse.properties.predictions.items).toEqual({ type: "integer" });
    const generic = buildEndpointQueryOpenApi({ name: "other", servedEntityNames: ["m"] }) as Json;
    expect(generic.components.schemas.ScoringRequest.oneOf).toHaveLength(4);
    expect(generic.components.schemas.ScoringRequest.description).not.toContain("signature");
  });
});
