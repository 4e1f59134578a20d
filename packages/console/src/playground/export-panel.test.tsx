/** @vitest-environment happy-dom */
import type { ChatRequest } from "@edgeserve/api";
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { ExportPanel } from "./export-panel";
import { exportRequest } from "./export-request";

afterEach(cleanup);

const request: ChatRequest = {
  model: "my-chat",
  messages: [{ role: "user", content: "Hi </code><script>alert(1)</script> $HOME" }],
  temperature: 0.3,
  stream: true,
};

const shownCode = () => screen.getByRole("tabpanel").querySelector("pre code")?.textContent;

describe("ExportPanel", () => {
  it("shows the exact request as curl first, with the token as a placeholder and the prompt as text", () => {
    render(<ExportPanel request={request} paneLabel="Pane 1" />);
    expect(screen.getByRole("tab", { name: "curl" }).getAttribute("aria-selected")).toBe("true");
    expect(shownCode()).toBe(exportRequest("curl", location.origin, request));
    expect(shownCode()).toContain("$DATABRICKS_TOKEN");
    expect(screen.getByRole("tabpanel").querySelector("script")).toBeNull();
  });

  it("switches language by click and with the arrow keys (the ARIA tabs pattern)", () => {
    render(<ExportPanel request={request} paneLabel="Pane 1" />);
    fireEvent.click(screen.getByRole("tab", { name: "Python (openai)" }));
    expect(shownCode()).toBe(exportRequest("python", location.origin, request));
    fireEvent.keyDown(screen.getByRole("tab", { name: "Python (openai)" }), { key: "ArrowRight" });
    expect(screen.getByRole("tab", { name: "TypeScript (openai)" }).getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement?.textContent).toBe("TypeScript (openai)");
    expect(shownCode()).toBe(exportRequest("typescript", location.origin, request));
    fireEvent.keyDown(screen.getByRole("tab", { name: "TypeScript (openai)" }), { key: "ArrowRight" });
    expect(shownCode()).toBe(exportRequest("curl", location.origin, request));
    expect(screen.getByRole("tabpanel").getAttribute("aria-labelledby")).toBe("Pane-1-export-curl");
  });

  it("asks for a prompt when there is no request yet", () => {
    render(<ExportPanel request={undefined} paneLabel="Pane 2" />);
    expect(screen.getByText(/Send a prompt/)).toBeTruthy();
    expect(screen.queryByRole("tab")).toBeNull();
  });
});
