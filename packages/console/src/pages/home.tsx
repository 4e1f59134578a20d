import { useEffect } from "preact/hooks";
import { useLocation } from "preact-iso";

/** `/` opens the endpoints list. */
export function Home() {
  const { route } = useLocation();
  useEffect(() => route("/endpoints", true), [route]);
  return null;
}
