/**
 * A refusal found by a write's own checks (a disabled model, a duplicate rule, no row matched
 * under RLS), with the form fields it concerns. Lives outside lib/actions so the write logic can
 * be tested without Next; the server actions turn it into an ActionError for the form.
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
