/**
 * What was thrown, as text, whatever was thrown (an Error, a string, a rejected value). One rule
 * for every log line and user-facing "what went wrong", so none prints "[object Object]".
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The same with the stack when there is one: for logs of unexpected errors. */
export function errorDetail(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
