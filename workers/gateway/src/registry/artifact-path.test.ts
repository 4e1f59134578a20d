import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { artifactDirPrefix, artifactKey, normalizeArtifactPath } from "./artifact-path";

describe("normalizeArtifactPath", () => {
  it("trims slashes and keeps nested paths", () => {
    expect(normalizeArtifactPath("/models/iris/1/MLmodel")).toBe("models/iris/1/MLmodel");
    expect(normalizeArtifactPath("models/main.default.iris/1/")).toBe("models/main.default.iris/1");
  });

  it.each(["..", "a/../b", "a//b", "./a", "a/.", "a\\b", "a\u0000b", "a\nb"])("refuses %j", (path) => {
    expect(() => normalizeArtifactPath(path)).toThrow(ApiError);
  });

  it("refuses the empty path unless asked to allow it", () => {
    expect(() => normalizeArtifactPath("/")).toThrow(/must not be empty/);
    expect(normalizeArtifactPath("", { allowEmpty: true })).toBe("");
  });
});

describe("artifact keys", () => {
  it("puts every artifact under mlflow-artifacts/", () => {
    expect(artifactKey("models/iris/1/MLmodel")).toBe("mlflow-artifacts/models/iris/1/MLmodel");
    expect(artifactDirPrefix("models/iris/1")).toBe("mlflow-artifacts/models/iris/1/");
    expect(artifactDirPrefix("")).toBe("mlflow-artifacts/");
  });
});
