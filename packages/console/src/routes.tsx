import type { AnyComponent } from "preact";
import { lazy } from "preact-iso";
import { EndpointsList } from "./pages/endpoints/endpoints-list";
import { EndpointPage } from "./pages/endpoint/endpoint-page";
import { EndpointFormPage } from "./pages/endpoint-form/endpoint-form-page";
import { Home } from "./pages/home";
import { PrincipalsPage } from "./pages/identity/principals-page";
import { TokensPage } from "./pages/identity/tokens-page";
import { SecretsPage } from "./pages/secrets/secrets-page";

/** The Playground is its own chunk: the console's first load does not pay for it. */
const Playground = lazy(() => import("./playground/index"));
/** So is the registry, with the MLmodel (YAML) parser its version and publish views need. */
const RegistryPage = lazy(() => import("./pages/registry/registry-page").then((m) => m.RegistryPage));

export interface ConsoleRoute {
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: pages take different props (route params); the router passes them.
  component: AnyComponent<any>;
  /** Shown in the navigation when set. */
  nav?: string;
}

/**
 * Every page of the console. To add one: write the component under pages/, add a line here (with `nav` to
 * list it in the side navigation). The gateway serves index.html under the top-level pages of
 * `@edgeserve/api/console-pages` (a new top-level page goes there too; routes.test.ts checks), so deep links work.
 */
export const ROUTES: ConsoleRoute[] = [
  { path: "/", component: Home },
  { path: "/endpoints", component: EndpointsList, nav: "Serving endpoints" },
  { path: "/endpoints/new", component: EndpointFormPage },
  { path: "/endpoints/:name/edit", component: EndpointFormPage },
  { path: "/endpoints/:name/:tab?", component: EndpointPage },
  { path: "/playground", component: Playground, nav: "Playground" },
  { path: "/registry/:name?", component: RegistryPage, nav: "Model registry" },
  { path: "/registry/:name/:version", component: RegistryPage },
  { path: "/secrets", component: SecretsPage, nav: "Secret scopes" },
  { path: "/tokens", component: TokensPage, nav: "Access tokens" },
  { path: "/principals", component: PrincipalsPage, nav: "Users and groups" },
];
