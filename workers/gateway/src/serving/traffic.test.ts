import { describe, expect, it } from "vitest";
import { pickServedEntity } from "./traffic";

describe("pickServedEntity", () => {
  const routes = [
    { served_entity_name: "a", traffic_percentage: 70 },
    { served_entity_name: "b", traffic_percentage: 0 },
    { served_entity_name: "c", traffic_percentage: 30 },
  ];
  it("maps the random point onto the cumulative percentages", () => {
    expect(pickServedEntity(routes, 0)).toBe("a");
    expect(pickServedEntity(routes, 0.6999)).toBe("a");
    expect(pickServedEntity(routes, 0.7)).toBe("c");
    expect(pickServedEntity(routes, 0.99999)).toBe("c");
  });
  it("never picks a route with 0%", () => {
    for (let i = 0; i < 1000; i++) expect(pickServedEntity(routes, i / 1000)).not.toBe("b");
  });
  it("reads legacy served_model_name routes and handles no traffic", () => {
    expect(pickServedEntity([{ served_model_name: "m", traffic_percentage: 100 }], 0.5)).toBe("m");
    expect(pickServedEntity([{ served_entity_name: "x", traffic_percentage: 0 }], 0.5)).toBeNull();
  });
});
