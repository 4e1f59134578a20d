import { describe, expect, it } from "vitest";
import { downloadUriOf, parseModelSource, sourceArtifactPrefix } from "./model-source";

describe("parseModelSource", () => {
  it("reads mlflow-artifacts URIs with and without an authority", () => {
    expect(parseModelSource("mlflow-artifacts:/models/iris/1")).toEqual({ kind: "artifacts", path: "models/iris/1" });
    expect(parseModelSource("mlflow-artifacts://127.0.0.1:8787/models/iris/1/")).toEqual({
      kind: "artifacts",
      path: "models/iris/1",
    });
    expect(parseModelSource("models/iris/1")).toEqual({ kind: "artifacts", path: "models/iris/1" });
  });

  it("reads models:/ references by version, alias or latest", () => {
    expect(parseModelSource("models:/main.default.iris/3")).toEqual({
      kind: "model",
      name: "main.default.iris",
      versionOrAlias: "3",
    });
    expect(parseModelSource("models:/iris@champion")).toEqual({
      kind: "model",
      name: "iris",
      versionOrAlias: "@champion",
    });
    expect(parseModelSource("models:/iris")).toEqual({ kind: "model", name: "iris", versionOrAlias: undefined });
  });

  it.each(["s3://bucket/model", "dbfs:/x", "runs:/abc/model", "mlflow-artifacts:/../etc", "mlflow-artifacts:/"])(
    "refuses %j",
    (source) => {
      expect(() => parseModelSource(source)).toThrow(/source/);
    },
  );
});

describe("artifact prefixes", () => {
  it("maps a path to its R2 prefix and back to a download URI", () => {
    const prefix = sourceArtifactPrefix("models/iris/1");
    expect(prefix).toBe("mlflow-artifacts/models/iris/1/");
    expect(downloadUriOf(prefix)).toBe("mlflow-artifacts:/models/iris/1");
  });
});
