/**
 * The web console's top-level pages (packages/console/src/routes.tsx). The gateway answers index.html under these
 * paths only (deep links); any other unknown path stays the API's JSON 404, whatever the client.
 */
const CONSOLE_PAGES = ["endpoints", "playground", "registry", "secrets", "tokens", "principals"] as const;

/** Whether `pathname` is a page of the console: `/` or under one of CONSOLE_PAGES. */
export function isConsolePage(pathname: string): boolean {
  if (pathname === "/") return true;
  const first = pathname.split("/")[1] ?? "";
  return (CONSOLE_PAGES as readonly string[]).includes(first);
}
