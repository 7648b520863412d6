/**
 * Runs once when the server starts: open, migrate and (in demo modes) seed the database before
 * the first request, so a fresh `npm run dev` is ready with demo data and prints the demo password.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDb } = await import("@/lib/db/instance");
  try {
    await getDb();
  } catch (err) {
    // Keep serving: /api/llm/health reports the database as down and pages show the error.
    console.error(`[db] startup failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
