import { describe, expect, it } from "vitest";
import { describeEntity, describeKind } from "./describe-entities";

describe("describeEntity", () => {
  it("names an external model by provider and model", () => {
    expect(
      describeEntity({ name: "a", external_model: { name: "gpt-4o-mini", provider: "openai", task: "llm/v1/chat" } }),
    ).toBe("openai gpt-4o-mini");
  });
  it("names a registry model with its version", () => {
    expect(describeEntity({ name: "a", entity_name: "iris", entity_version: "3" })).toBe("iris v3");
  });
  it("falls back to the entity's own name", () => {
    expect(describeEntity({ name: "primary" })).toBe("primary");
  });
});

describe("describeKind", () => {
  it("words the endpoint types", () => {
    expect(describeKind("EXTERNAL_MODEL")).toBe("External model");
    expect(describeKind(undefined)).toBe("—");
  });
});
