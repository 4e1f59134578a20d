import type { ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { setToken } from "../api";
import { ROUTES } from "../routes";

/** The frame of every page: skip link, header with sign-out, side navigation, main region. */
export function Shell({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/endpoints">
          Edgeserve
        </a>
        <button type="button" class="link-button" onClick={() => setToken(null)}>
          Sign out
        </button>
      </header>
      <div class="layout">
        <nav aria-label="Console">
          <ul>
            {ROUTES.filter((r) => r.nav).map((r) => {
              // "/registry/:name?" is listed as "/registry".
              const href = r.path.replace(/\/:.*$/, "");
              const current = path === href || path.startsWith(`${href}/`);
              return (
                <li key={r.path}>
                  <a href={href} aria-current={current ? "page" : undefined}>
                    {r.nav}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </>
  );
}
