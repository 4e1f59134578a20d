// A CPU profile of the hot path: load at 32 connections while bench/profile.mjs samples the gateway
// through workerd's inspector. Taken last, on an instance of its own, so no measured instance has one.
import { runHelperAsync } from "../processes.mjs";
import { PROFILE_SECONDS, STREAM } from "../settings.mjs";

/**
 * The profile (of streamed queries with BENCH_STREAM=1)'s top self-time and inclusive-time functions
 * (bench/profile.mjs --json).
 */
export async function profileUnderLoad(target, inspectorPort) {
  const loadOptions = {
    url: target.url,
    method: "POST",
    headers: target.headers,
    body: STREAM ? target.streamBody : target.body,
    connections: 32,
    duration: PROFILE_SECONDS + 3,
    warmup: 1,
  };
  const load = runHelperAsync("load.mjs", [JSON.stringify(loadOptions)]);
  await new Promise((r) => setTimeout(r, 2000));
  const profiled = await runHelperAsync("profile.mjs", [String(inspectorPort), String(PROFILE_SECONDS), "--json"]);
  await load;
  return JSON.parse(profiled.trim().split("\n").at(-1));
}
