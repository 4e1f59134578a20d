/** @vitest-environment happy-dom */
import { parseMlModel } from "@edgeserve/mlflow/parse-mlmodel";
import { cleanup, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { SignatureView } from "./signature-view";

afterEach(cleanup);

/** The rows of the table named `name`, as cell texts. */
function rowsOf(name: string): string[][] {
  return within(screen.getByRole("table", { name }))
    .getAllByRole("row")
    .slice(1)
    .map((tr) =>
      within(tr)
        .getAllByRole("cell")
        .map((td) => td.textContent ?? ""),
    );
}

const mlModel = (signature: string) => parseMlModel(`flavors:\n  python_function: {}\nsignature:\n${signature}`);

describe("SignatureView", () => {
  it("shows column inputs with their types and whether required, tensors with dtype and shape, and params", () => {
    const { signature } = mlModel(
      [
        `  inputs: '[{"type": "double", "name": "age", "required": true}, ` +
          `{"type": "array", "items": {"type": "string"}, "name": "tags", "required": false}]'`,
        `  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 10]}, "name": "logits"}]'`,
        `  params: '[{"name": "temperature", "type": "double", "default": 0.5, "shape": null}, ` +
          `{"name": "stop", "type": "string", "default": ["x"], "shape": [-1]}]'`,
      ].join("\n"),
    );
    render(<SignatureView signature={signature} />);
    expect(rowsOf("Inputs")).toEqual([
      ["age", "double", "yes"],
      ["tags", "Array(string)", "no"],
    ]);
    expect(rowsOf("Outputs")).toEqual([["logits", "tensor of float64", "(-1, 10)"]]);
    expect(rowsOf("Params")).toEqual([
      ["temperature", "double", "0.5", "scalar"],
      ["stop", "string", '["x"]', "(-1,)"],
    ]);
  });

  it("says what is not declared instead of an empty table", () => {
    const { signature } = mlModel(
      `  inputs: '[{"type": "string", "required": true}]'\n  outputs: null\n  params: null`,
    );
    render(<SignatureView signature={signature} />);
    expect(rowsOf("Inputs")).toEqual([["(column 0)", "string", "yes"]]);
    expect(screen.queryByRole("table", { name: "Outputs" })).toBeNull();
    expect(screen.getAllByText("Not declared.")).toHaveLength(1);
    expect(screen.getByText("None.")).toBeTruthy();
  });

  it("says so when the MLmodel has no signature", () => {
    render(<SignatureView signature={undefined} />);
    expect(screen.getByText("This version's MLmodel declares no signature.")).toBeTruthy();
  });
});
