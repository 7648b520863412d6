/**
 * THE error for "the database said no": a refusal found by a write's own checks (a disabled
 * model, a duplicate rule, no row matched under RLS) or by an action's (not a platform admin),
 * with the form fields it concerns. It lives at the floor because lib/db throws it, so the write
 * logic can be tested without Next; server actions throw it too, and the action wrapper
 * (lib/actions/safe-action.ts) turns it into the form's `{ ok: false, error, fieldErrors }`.
 */
export class WriteRefusal extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "WriteRefusal";
  }
}
