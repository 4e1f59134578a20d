import { isConsolePage } from "@edgeserve/api/console-pages";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { onNotFound } from "../middleware/errors";

/**
 * The console's headers. CSP: scripts and styles only from this origin (no inline script, no CDN), API calls
 * only to this origin, never framed (clickjacking). `style-src 'self'` still lets scripts set element.style
 * (CSSOM), which charts use; it blocks style attributes in markup.
 */
const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/** Paths the API owns: never the console's, whatever the browser asks for (JSON 404 when nothing matched). */
function isApiPath(pathname: string): boolean {
  return (
    pathname.startsWith("/api/") ||
    pathname === "/api" ||
    pathname.startsWith("/serving-endpoints") ||
    pathname === "/health" ||
    pathname === "/docs" ||
    pathname.startsWith("/docs/")
  );
}

/** A path naming a file (`/assets/index-abc.js`, `/favicon.svg`) rather than a page of the app. */
function isFilePath(pathname: string): boolean {
  return /\/[^/]+\.[a-z0-9]+$/i.test(pathname);
}

function withHeaders(res: Response, cacheControl: string): Response {
  const out = new Response(res.body, res);
  for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) out.headers.set(name, value);
  out.headers.set("cache-control", cacheControl);
  return out;
}

/**
 * The console, from the ASSETS binding (wrangler.toml [assets], run_worker_first): files as they are, a path of
 * one of its pages (a deep link such as /endpoints/foo) gets index.html and the router in the browser shows the
 * page, anything else the API's JSON 404. Mounted last, so every API route answers first.
 */
export const consoleRoutes = new Hono<AppEnv>();

consoleRoutes.on(["GET", "HEAD"], "*", async (c) => {
  const url = new URL(c.req.url);
  if (isApiPath(url.pathname) || !c.env.ASSETS) return onNotFound(c);
  if (isFilePath(url.pathname)) {
    const res = await c.env.ASSETS.fetch(new Request(url, { method: c.req.method }));
    if (res.status === 404) return onNotFound(c);
    // Vite names built files by content hash: they never change, so browsers may keep them. index.html is
    // never cached, so after an upgrade the next page load asks for the new chunks (no chunk-load errors).
    const immutable = url.pathname.startsWith("/assets/") && res.ok;
    return withHeaders(res, immutable ? "public, max-age=31536000, immutable" : "no-cache");
  }
  // Only the console's own pages are deep links: any other path is the API's JSON 404, as without a console.
  if (!isConsolePage(url.pathname)) return onNotFound(c);
  // "/" is index.html (with html_handling's default, /index.html itself answers with a redirect to /).
  const res = await c.env.ASSETS.fetch(new Request(new URL("/", url), { method: c.req.method }));
  return withHeaders(res, "no-cache");
});
