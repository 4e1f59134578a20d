import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "./chat-settings";
import { addPane, initialState, setSynced, updatePane, updateSettings } from "./playground-state";
import { comparisonFragment, comparisonOf, readComparison, stateOfComparison } from "./share-link";

describe("compare links", () => {
  it("round-trip endpoints, per-pane settings, history and prompt (non-ASCII included)", () => {
    let state = addPane(addPane(initialState(), "b"), "c");
    state = updatePane(state, 1, (p) => ({ ...p, endpoint: "a", history: [{ role: "user", content: "héllo 🌍" }] }));
    state = setSynced(updateSettings(state, 1, { systemPrompt: "Sys", temperature: 0.4 }), false);
    state = updateSettings(state, 3, { maxTokens: 5, stream: false });
    const fragment = comparisonFragment(comparisonOf(state, "Compare this"));
    expect(fragment).toMatch(/^#compare=[A-Za-z0-9_-]+$/);
    const read = readComparison(fragment);
    if (!read || "error" in read) throw new Error(`not read: ${JSON.stringify(read)}`);
    expect(read.prompt).toBe("Compare this");
    const opened = stateOfComparison(read);
    expect(opened.synced).toBe(false);
    expect(opened.panes.map((p) => p.endpoint)).toEqual(["a", "b", "c"]);
    expect(opened.panes[2]?.settings).toEqual({
      ...DEFAULT_SETTINGS,
      systemPrompt: "Sys",
      temperature: 0.4,
      maxTokens: 5,
      stream: false,
    });
    expect(opened.panes.every((p) => p.history[0]?.content === "héllo 🌍")).toBe(true);
  });

  it("carries no token: only what the comparison holds", () => {
    const fragment = comparisonFragment(comparisonOf(initialState(), "p"));
    const json = JSON.parse(atob(fragment.slice("#compare=".length).replaceAll("-", "+").replaceAll("_", "/")));
    expect(Object.keys(json).sort()).toEqual(["history", "panes", "prompt", "shared", "synced"]);
  });

  it("reads nothing without the parameter and refuses damaged or hostile state", () => {
    expect(readComparison("")).toBeNull();
    expect(readComparison("#other=1")).toBeNull();
    expect(readComparison("#compare=%%%")).toEqual({ error: expect.stringMatching(/damaged/) });
    const hostile = btoa(JSON.stringify({ panes: [{ endpoint: 5, settings: { temperature: "hot", stop: [1] } }] }));
    const read = readComparison(`#compare=${hostile}`);
    expect(read).toEqual({
      synced: true,
      shared: DEFAULT_SETTINGS,
      panes: [{ endpoint: "", settings: DEFAULT_SETTINGS }],
      history: [],
      prompt: "",
    });
    expect(readComparison(`#compare=${btoa("{}")}`)).toEqual({ error: expect.stringMatching(/no endpoint/) });
  });
});
