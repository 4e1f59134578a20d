import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatNumber } from "./format";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** CSS colour; the series are also told apart by their labels in the legend and the table. */
  color: string;
}

/** Whether this browser draws on a canvas (one that blocks or lacks it gets the table view only). */
let canvasSupport: boolean | undefined;
function canDraw(): boolean {
  canvasSupport ??= document.createElement("canvas").getContext("2d") !== null;
  return canvasSupport;
}

/**
 * A time-series chart (uPlot, canvas) with a table view of the same numbers: a canvas says nothing to a
 * screen reader, so the table is one button away, and the chart has a text label summarising it.
 */
export function TimeChart(props: { title: string; unit: string; times: number[]; series: ChartSeries[] }) {
  const host = useRef<HTMLDivElement>(null);
  const drawable = canDraw();
  const [tableChosen, setAsTable] = useState(false);
  const asTable = tableChosen || !drawable;
  const id = `chart-${props.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  useEffect(() => {
    if (asTable || !host.current) return;
    const el = host.current;
    const style = getComputedStyle(document.documentElement);
    const axis = {
      stroke: style.getPropertyValue("--fg").trim(),
      grid: { stroke: style.getPropertyValue("--border").trim() },
    };
    const chart = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 200,
        series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false }))],
        axes: [axis, { ...axis, label: props.unit }],
        scales: { x: { time: true } },
        legend: { show: true },
      },
      [props.times.map((t) => t / 1000), ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    return () => chart.destroy();
  }, [asTable, props.times, props.series, props.unit]);
  const total = props.series.map((s) => `${s.label} ${formatNumber(sum(s.values))}`).join(", ");
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>
        <strong>{props.title}</strong>{" "}
        {drawable ? (
          <button type="button" class="link-button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            {asTable ? "Show chart" : "Show table"}
          </button>
        ) : (
          <small>(this browser draws no canvas: the numbers as a table)</small>
        )}
      </figcaption>
      {asTable ? (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {props.series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label} ({props.unit})
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.times.map((t, i) => (
                <tr key={t}>
                  <td>{new Date(t).toLocaleTimeString()}</td>
                  {props.series.map((s) => (
                    <td key={s.label}>{formatNumber(s.values[i], 1)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div ref={host} role="img" aria-label={`${props.title} over time. Totals: ${total}.`} />
      )}
    </figure>
  );
}

function sum(values: (number | null)[]): number {
  return values.reduce<number>((n, v) => n + (v ?? 0), 0);
}
