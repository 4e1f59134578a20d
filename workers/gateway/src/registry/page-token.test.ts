import { describe, expect, it } from "vitest";
import { decodePageToken, paginate } from "./page-token";

describe("paginate", () => {
  it("walks every item exactly once", () => {
    const items = Array.from({ length: 7 }, (_, i) => i);
    const seen: number[] = [];
    let token: string | undefined;
    do {
      const { page, next } = paginate(items, token, 3);
      seen.push(...page);
      token = next;
    } while (token);
    expect(seen).toEqual(items);
  });

  it.each(["x", btoa("{}"), btoa(JSON.stringify({ offset: -1 })), btoa(JSON.stringify({ offset: 1.5 }))])(
    "refuses the token %j",
    (token) => {
      expect(() => decodePageToken(token)).toThrow(/page_token/);
    },
  );
});
