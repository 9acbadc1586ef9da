/** Shown in browser mode when the page has no valid access token: what to do, nothing that cannot work. */

/** The "open the printed address" screen. */
export function NeedsToken({ message }: { message: string }) {
  return (
    <main className="welcome">
      <div className="welcome__card">
        <h1>Tagwerk</h1>
        <p className="error" role="alert">
          {message}
        </p>
        <p className="muted">
          <code>tagwerk serve</code> prints an address such as{" "}
          <code>http://127.0.0.1:7410/?token=…</code> when it starts. The token changes with every
          start, so an old bookmark stops working.
        </p>
      </div>
    </main>
  );
}
