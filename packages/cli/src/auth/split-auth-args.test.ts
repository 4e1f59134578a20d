import { describe, expect, it } from "vitest";
import { splitAuthArgs } from "./split-auth-args";

describe("splitAuthArgs", () => {
  it("takes --host, --token=…, --profile and -p out and leaves the rest in order", () => {
    const args = ["--host", "http://h", "SELECT 1", "--token=t", "--output", "json", "-p", "dev", "-f", "q.sql"];
    expect(splitAuthArgs(args)).toEqual({
      auth: { host: "http://h", token: "t", profile: "dev" },
      rest: ["SELECT 1", "--output", "json", "-f", "q.sql"],
    });
  });

  it("leaves everything after -- alone, and refuses an option without its value", () => {
    expect(splitAuthArgs(["a", "--", "--host", "x"]).rest).toEqual(["a", "--", "--host", "x"]);
    expect(() => splitAuthArgs(["--token"])).toThrow(/--token needs a value/);
  });
});
