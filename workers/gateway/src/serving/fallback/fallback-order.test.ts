import { describe, expect, it } from "vitest";
import type { StoredServedEntity } from "../../endpoints/stored-config";
import { fallbackOrder } from "./fallback-order";

const entity = (name: string) =>
  ({
    name,
    creator: "owner@example.com",
    creation_timestamp: 0,
    state: { deployment: "DEPLOYMENT_READY", deployment_state_message: "" },
  }) as StoredServedEntity;

describe("fallbackOrder", () => {
  const [a, b, c, d] = ["a", "b", "c", "d"].map(entity) as [
    StoredServedEntity,
    StoredServedEntity,
    StoredServedEntity,
    StoredServedEntity,
  ];
  const entities = [a, b, c, d];

  it("tries the picked entity first, then the others in served_entities order", () => {
    expect(fallbackOrder(entities, a).map((e) => e.name)).toEqual(["a", "b", "c", "d"]);
    expect(fallbackOrder(entities, c).map((e) => e.name)).toEqual(["c", "a", "b", "d"]);
    expect(fallbackOrder(entities, d).map((e) => e.name)).toEqual(["d", "a", "b", "c"]);
  });

  it("tries each entity once, the picked one included when it is another object of the same name", () => {
    const order = fallbackOrder(entities, entity("b"));
    expect(order.map((e) => e.name)).toEqual(["b", "a", "c", "d"]);
  });

  it("has nothing to fall back to on an endpoint with one entity", () => {
    expect(fallbackOrder([a], a)).toEqual([a]);
  });
});
