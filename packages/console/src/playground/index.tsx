/**
 * The AI Playground (issue 14, part B): a placeholder the playground helper replaces. Contract with the console:
 * this module default-exports the page component; the console mounts it at /playground (routes.tsx) as a lazy
 * chunk, inside the signed-in shell.
 */
export default function Playground() {
  return (
    <section>
      <h1>Playground</h1>
      <p>The AI Playground is not built yet.</p>
    </section>
  );
}
