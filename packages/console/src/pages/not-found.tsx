export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing in the console lives at this address. <a href="/endpoints">Go to the serving endpoints.</a>
      </p>
    </section>
  );
}
