import type { VisibleEndpoint } from "../endpoints/list-page";
import type { Env } from "../env";
import type { Principal } from "../identity/principal";
import { effectiveLevel } from "../permissions/endpoint-access";
import { foundationEndpoints } from "./foundation-endpoints";

interface Page {
  endpoints: VisibleEndpoint[];
  /** The last name of the page when more follow (what the page token resumes after). */
  lastName?: string;
}

/** Whether a foundation endpoint matches the list's `search`, as the D1 rows do: name, creator or task. */
function matches(row: VisibleEndpoint["row"], search: string | undefined): boolean {
  if (!search) return true;
  const needle = search.toLowerCase();
  return [row.name, row.creator, row.task].some((field) => field?.toLowerCase().includes(needle));
}

/**
 * One page of the endpoints list with the operator's Foundation Model API endpoints (not in D1) merged in,
 * in name order like the D1 rows, so pages stay ordered and each endpoint shows up exactly once: a foundation
 * endpoint goes on the page whose name range holds it.
 */
export function withFoundationEndpoints(
  env: Env,
  principal: Principal,
  page: Page,
  options: { pageSize?: number; after?: string | null; search?: string },
): Page {
  const candidates: VisibleEndpoint[] = [];
  for (const foundation of foundationEndpoints(env).values()) {
    const name = foundation.row.name;
    if (options.after && name <= options.after) continue;
    // D1 rows follow this page: a later name belongs on a later page.
    if (page.lastName !== undefined && name > page.lastName) continue;
    if (!matches(foundation.row, options.search)) continue;
    const level = effectiveLevel(principal, foundation.acl);
    if (level) candidates.push({ row: foundation.row, level });
  }
  if (candidates.length === 0) return page;
  const merged = [...page.endpoints, ...candidates].sort((a, b) =>
    a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : 0,
  );
  if (options.pageSize === undefined || merged.length <= options.pageSize)
    return { endpoints: merged, ...(page.lastName !== undefined ? { lastName: page.lastName } : {}) };
  const endpoints = merged.slice(0, options.pageSize);
  return { endpoints, lastName: endpoints[endpoints.length - 1]!.row.name };
}
