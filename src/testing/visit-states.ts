// Walks every state of an Amazon States Language definition, including those nested in Parallel branches and Map
// iterators/item processors.

/** Calls `visit` with each state's name and object, depth first, in definition order. */
export function visitStates(definition: Record<string, unknown>, visit: (name: string, state: Record<string, unknown>) => void): void {
  for (const [name, s] of Object.entries((definition.States ?? {}) as Record<string, Record<string, unknown>>)) {
    visit(name, s);
    for (const b of (s.Branches ?? []) as Record<string, unknown>[]) visitStates(b, visit);
    if (s.Iterator) visitStates(s.Iterator as Record<string, unknown>, visit);
    if (s.ItemProcessor) visitStates(s.ItemProcessor as Record<string, unknown>, visit);
  }
}
