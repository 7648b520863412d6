/**
 * An app's known actions: declared on the app, or seen in its calls. A routing rule for any other
 * action never matches until a call sends it, which is how a typo used to look like a working
 * rule. Pure, shared by the rule form (a warning while typing) and lib/db/routing-writes.ts (the
 * same check on the server, which asks for an explicit confirmation).
 */

export interface KnownActions {
  declared: readonly string[];
  seen: readonly string[];
}

/** Sorted, without duplicates: what the rule form offers. */
export function knownActionList(known: KnownActions): string[] {
  return [...new Set([...known.declared, ...known.seen])].sort();
}

/** "*" matches every action, so it is always known. */
export function isKnownAction(action: string, known: KnownActions): boolean {
  const a = action.trim();
  return a === "*" || known.declared.includes(a) || known.seen.includes(a);
}

export function unknownActionMessage(action: string, appName: string): string {
  return `No call of ${appName} has used “${action}” and it is not declared on the app: rules for it never match until one does.`;
}
