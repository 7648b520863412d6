"use client";

/*
 * Replaces the root layout when it fails, so neither the stylesheet nor the theme provider can be
 * relied on: inline styles only, following the OS color scheme.
 */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · LLM Control Plane</title>
        <meta name="color-scheme" content="light dark" />
      </head>
      <body
        style={{
          margin: 0,
          minHeight: "100dvh",
          display: "grid",
          placeItems: "center",
          fontFamily: "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        }}
      >
        <main role="alert" style={{ maxWidth: "28rem", padding: "1.5rem", textAlign: "center" }}>
          <h1 style={{ fontSize: "1.25rem", fontWeight: 600, margin: "0 0 0.5rem" }}>Something went wrong</h1>
          <p style={{ margin: "0 0 1.25rem", opacity: 0.75, fontSize: "0.875rem", lineHeight: 1.5 }}>
            The application could not be loaded. Try again in a moment.
            {digest && (
              <>
                <br />
                Reference: <code>{digest}</code>
              </>
            )}
          </p>
          <button
            type="button"
            onClick={() => retry()}
            style={{
              font: "inherit",
              fontSize: "0.875rem",
              fontWeight: 500,
              padding: "0.5rem 1rem",
              borderRadius: "0.5rem",
              border: "1px solid currentColor",
              background: "transparent",
              color: "inherit",
              cursor: "pointer",
            }}
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
