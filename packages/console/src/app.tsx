import { useEffect, useState } from "preact/hooks";
import { ErrorBoundary, LocationProvider, Route, Router } from "preact-iso";
import { currentToken, onTokenChange } from "./api";
import { Shell } from "./components/shell";
import { ROUTES } from "./routes";
import { SignIn } from "./pages/sign-in";
import { NotFound } from "./pages/not-found";

/** Signed out: the sign-in page whatever the URL (which is kept, so a deep link opens after sign-in). */
export function App() {
  const [token, setTokenState] = useState(currentToken());
  useEffect(() => onTokenChange(setTokenState), []);
  if (!token) return <SignIn />;
  return (
    <LocationProvider>
      <Shell>
        <ErrorBoundary>
          <Router>
            {[
              ...ROUTES.map((r) => <Route key={r.path} path={r.path} component={r.component} />),
              <Route key="404" default component={NotFound} />,
            ]}
          </Router>
        </ErrorBoundary>
      </Shell>
    </LocationProvider>
  );
}
