// Active contexts as Lex V2 keeps them: each lives for `turnsToLive` turns and `timeToLiveInSeconds`, whichever ends
// first; an intent with input contexts is recognized only while all of them are active; a fulfilled intent
// activates its output contexts.
import type { LexSlot } from '../../runtime/lex/types';
import type { BotIntent } from './bot-model';

/** An active context (Lex V2 API reference, "ActiveContext"). */
export interface ActiveContext {
  name: string;
  timeToLive: { timeToLiveInSeconds: number; turnsToLive: number };
  contextAttributes: Record<string, string>;
}

/** When each context was set (ms since epoch), which the API shape does not carry. */
export type ContextClock = Record<string, number>;

/** The contexts still alive at the start of a turn: one turn used, the expired ones gone. */
export function ageContexts(contexts: readonly unknown[], setAt: ContextClock, now: number): ActiveContext[] {
  const alive: ActiveContext[] = [];
  for (const c of contexts as ActiveContext[]) {
    const ttl = c?.timeToLive;
    if (!c?.name || !ttl) continue;
    const started = setAt[c.name] ?? now;
    if (now - started > ttl.timeToLiveInSeconds * 1000 || ttl.turnsToLive <= 0) continue;
    alive.push({ ...c, timeToLive: { ...ttl, turnsToLive: ttl.turnsToLive - 1 }, contextAttributes: { ...c.contextAttributes } });
  }
  return alive;
}

/** Stamps the contexts a code hook answered that are new or given a new time to live. */
export function stampContexts(before: readonly unknown[], after: readonly unknown[], setAt: ContextClock, now: number): void {
  for (const c of after as ActiveContext[]) {
    const old = (before as ActiveContext[]).find((b) => b?.name === c?.name);
    if (c?.name && (!old || JSON.stringify(old.timeToLive) !== JSON.stringify(c.timeToLive))) setAt[c.name] = now;
  }
}

/** Whether the intent may be recognized with these contexts active. */
export function contextsAllow(intent: BotIntent, active: readonly ActiveContext[]): boolean {
  return (intent.inputContexts ?? []).every((ic) => active.some((c) => c.name === ic.name));
}

/**
 * The contexts after `intent` is fulfilled: its output contexts (re)activated, each carrying the intent's slot values
 * as its parameters ("The parameters are the slot values for the fulfilled intent", lexv2/latest/dg/context-mgmt-active-context.html).
 */
export function withOutputContexts(active: readonly ActiveContext[], intent: BotIntent, setAt: ContextClock, now: number,
  slots: Readonly<Record<string, LexSlot | null>> = {}): ActiveContext[] {
  const out = [...active];
  const parameters: Record<string, string> = {};
  for (const [name, slot] of Object.entries(slots)) {
    const v = slot?.value?.interpretedValue ?? slot?.value?.originalValue;
    if (typeof v === 'string') parameters[name] = v;
  }
  for (const oc of intent.outputContexts ?? []) {
    const i = out.findIndex((c) => c.name === oc.name);
    const context = { name: oc.name, timeToLive: { timeToLiveInSeconds: oc.timeToLiveInSeconds, turnsToLive: oc.turnsToLive }, contextAttributes: { ...parameters } };
    if (i >= 0) out[i] = context; else out.push(context);
    setAt[oc.name] = now;
  }
  return out;
}
