import { type StoredRoute, routeTarget } from "../endpoints/stored-config";

/** Picks a served entity by the routes' traffic percentages; `random` is in [0, 1). */
export function pickServedEntity(routes: readonly StoredRoute[], random: number = Math.random()): string | null {
  const total = routes.reduce((sum, r) => sum + r.traffic_percentage, 0);
  if (total <= 0) return null;
  let point = random * total;
  for (const route of routes) {
    if (route.traffic_percentage <= 0) continue;
    if (point < route.traffic_percentage) return routeTarget(route);
    point -= route.traffic_percentage;
  }
  // Floating-point edge: fall back to the last route that takes traffic.
  const last = [...routes].reverse().find((r) => r.traffic_percentage > 0);
  return last ? routeTarget(last) : null;
}
