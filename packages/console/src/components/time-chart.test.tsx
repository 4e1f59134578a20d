/** @vitest-environment happy-dom */
import { cleanup, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { TimeChart } from "./time-chart";

// happy-dom has no canvas 2D context, like a browser that blocks canvas: the chart is its table view. The toggle
// between chart and table runs in a real Chromium (test/browser/endpoint-console.test.ts).
afterEach(cleanup);

const times = [Date.UTC(2026, 11, 6, 12, 0), Date.UTC(2026, 11, 6, 12, 1), Date.UTC(2026, 11, 6, 12, 2)];
const series = [
  { label: "requests", values: [3, null, 1234.5], color: "#06c" },
  { label: "errors", values: [1, 0, null], color: "#c00" },
];

describe("TimeChart's table view", () => {
  it("has the chart's numbers, one row per bucket, a column per series with its unit, gaps as —", () => {
    render(<TimeChart title="Requests" unit="count" times={times} series={series} />);
    const table = screen.getByRole("table", { name: "Requests" });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual(["Time", "requests (count)", "errors (count)"]);
    const rows = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((tr) =>
        within(tr)
          .getAllByRole("cell")
          .map((td) => td.textContent),
      );
    expect(rows).toEqual([
      [new Date(times[0]!).toLocaleTimeString(), "3", "1"],
      [new Date(times[1]!).toLocaleTimeString(), "—", "0"],
      [new Date(times[2]!).toLocaleTimeString(), (1234.5).toLocaleString(undefined, { maximumFractionDigits: 1 }), "—"],
    ]);
  });

  it("is what a browser without canvas gets, said in words, with no toggle to a chart it cannot draw", () => {
    render(<TimeChart title="Latency" unit="ms" times={times} series={series} />);
    expect(screen.getByRole("figure", { name: /Latency/ })).toBeTruthy();
    expect(screen.getByText(/draws no canvas/)).toBeTruthy();
    expect(screen.queryByRole("button")).toBeNull();
    expect(screen.queryByRole("img")).toBeNull();
  });

  it("has a row for every bucket of a long window", () => {
    const many = Array.from({ length: 60 }, (_, i) => times[0]! + i * 60_000);
    render(
      <TimeChart
        title="Tokens"
        unit="tokens"
        times={many}
        series={[{ label: "in", values: many.map(() => 5), color: "#000" }]}
      />,
    );
    expect(within(screen.getByRole("table", { name: "Tokens" })).getAllByRole("row")).toHaveLength(61);
  });
});
