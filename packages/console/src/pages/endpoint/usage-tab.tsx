import { useState } from "preact/hooks";
import { getUsage } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { formatNumber } from "../../components/format";
import { useApi } from "../../components/use-api";

const DAY = 86_400_000;

/** Tracked usage (ai_gateway.usage_tracking_config) by user, served entity or day, over the last 30 days. */
export function UsageTab({ name }: { name: string }) {
  const [groupBy, setGroupBy] = useState<"user" | "served_entity" | "day">("user");
  const { data, error, loading } = useApi(
    (signal) => getUsage(name, groupBy, { startTime: Date.now() - 30 * DAY, endTime: Date.now() + 1 }, signal),
    [name, groupBy],
  );
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <div class="toolbar">
        <label for="usage-group">Group by</label>
        <select id="usage-group" value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as typeof groupBy)}>
          <option value="user">User</option>
          <option value="served_entity">Served entity</option>
          <option value="day">Day (UTC)</option>
        </select>
      </div>
      <p class="help">Last 30 days; only queries made while usage tracking (AI Gateway) was on are counted.</p>
      <ErrorMessage error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{groupBy === "user" ? "User" : groupBy === "day" ? "Day" : "Served entity"}</th>
            <th scope="col">Requests</th>
            <th scope="col">Errors</th>
            <th scope="col">Input tokens</th>
            <th scope="col">Output tokens</th>
          </tr>
        </thead>
        <tbody>
          {(data?.usage ?? []).map((row) => (
            <tr key={row.group}>
              <td>{row.group}</td>
              <td>{formatNumber(row.request_count)}</td>
              <td>{formatNumber(row.error_count)}</td>
              <td>{formatNumber(row.input_tokens)}</td>
              <td>{formatNumber(row.output_tokens)}</td>
            </tr>
          ))}
          {!loading && data?.usage.length === 0 ? (
            <tr>
              <td colSpan={5}>No tracked usage in this range.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
