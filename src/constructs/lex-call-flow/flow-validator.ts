// Checks a Connect flow (Flow language) for what Amazon Connect refuses at deploy time, so the error shows at synth.
import { LEX_TEST_ALIAS_ID } from '../../shared/lex';

/** The Flow language version Connect accepts for contact flows. */
export const FLOW_LANGUAGE_VERSION = '2019-10-30';
/** Connect's limits on a flow document (Flow language reference: "Flow language" and action identifiers). */
export const FLOW_LIMITS = {
  maxActions: 250,
  maxIdentifierLength: 50,
  maxContentLength: 256_000,
  forbiddenIdentifierCharacters: ['%', ':', '(', '\\', '/', ')', '=', '$', ',', ';', '[', ']', '{', '}'],
} as const;

// An unresolved CDK string token as it appears inside JSON.stringify output.
const TOKEN_PLACEHOLDER = /\$\{Token\[[^\]]+\]\}/g;
// LexV2Bot.AliasArn holds at most 100 characters (Connect API reference, LexV2Bot), so a token counts as 100.
const TOKEN_BUDGET = 100;

/** A transition target named in an action, with where it was found (for the message). */
interface Target { readonly from: string; readonly via: string; readonly to: unknown }

/**
 * The problems Connect would report for this flow, each as one sentence naming the action and the fix; empty when the
 * flow passes. `content` is the serialised flow when known (its length is checked), else the flow is serialised here
 * with every unresolved token counted at 100 characters.
 */
export function flowProblems(flow: unknown, content?: string): string[] {
  if (typeof flow !== 'object' || flow === null || Array.isArray(flow)) {
    return ['the flow must be a JSON object with Version, StartAction and Actions.'];
  }
  const doc = flow as Record<string, unknown>;
  const problems: string[] = [];
  if (doc.Version !== FLOW_LANGUAGE_VERSION) {
    problems.push(`Version must be "${FLOW_LANGUAGE_VERSION}", got ${JSON.stringify(doc.Version)}.`);
  }
  const actions = Array.isArray(doc.Actions) ? doc.Actions as unknown[] : undefined;
  if (!actions || actions.length === 0) {
    problems.push('Actions must be a non-empty array of actions.');
    return problems;
  }
  if (actions.length > FLOW_LIMITS.maxActions) {
    problems.push(`the flow has ${actions.length} actions; Connect accepts at most ${FLOW_LIMITS.maxActions}. Split it into flow modules.`);
  }

  const ids = new Set<string>();
  const targets: Target[] = [];
  actions.forEach((raw, index) => {
    const action = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const id = action.Identifier;
    const where = typeof id === 'string' ? `action '${id}'` : `action #${index}`;
    if (typeof id !== 'string' || id.length === 0) {
      problems.push(`${where} needs a non-empty string Identifier.`);
    } else {
      problems.push(...identifierProblems(id));
      if (ids.has(id)) problems.push(`${where}: Identifier is used twice; every action needs its own.`);
      ids.add(id);
    }
    if (typeof action.Type !== 'string' || action.Type.length === 0) problems.push(`${where} needs a Type.`);
    const transitions = action.Transitions;
    if (transitions === undefined) return;
    if (typeof transitions !== 'object' || transitions === null) {
      problems.push(`${where}: Transitions must be an object.`);
      return;
    }
    const t = transitions as Record<string, unknown>;
    if (t.NextAction !== undefined) targets.push({ from: where, via: 'NextAction', to: t.NextAction });
    for (const c of arrayOf(t.Conditions)) {
      const operands = JSON.stringify((c as any)?.Condition?.Operands ?? null);
      targets.push({ from: where, via: `the condition on ${operands}`, to: (c as Record<string, unknown>)?.NextAction });
    }
    for (const e of arrayOf(t.Errors)) {
      const type = (e as Record<string, unknown>)?.ErrorType;
      targets.push({ from: where, via: `the error ${JSON.stringify(type)}`, to: (e as Record<string, unknown>)?.NextAction });
    }
  });

  if (typeof doc.StartAction !== 'string' || doc.StartAction.length === 0) {
    problems.push('StartAction must name the first action.');
  } else if (!ids.has(doc.StartAction)) {
    problems.push(`StartAction '${doc.StartAction}' names no action in Actions.`);
  }
  for (const target of targets) {
    if (typeof target.to !== 'string' || !ids.has(target.to)) {
      problems.push(`${target.from}: ${target.via} goes to ${JSON.stringify(target.to)}, which is no action in this flow.`);
    }
  }

  const length = content !== undefined ? content.length : serialisedLength(doc);
  if (length < 1 || length > FLOW_LIMITS.maxContentLength) {
    problems.push(`the flow content is ${length.toLocaleString('en-US')} characters; Connect accepts 1 to ${FLOW_LIMITS.maxContentLength.toLocaleString('en-US')}.`);
  }
  return problems;
}

/** The problems of one action Identifier against the Flow language's limits. */
export function identifierProblems(id: string): string[] {
  const problems: string[] = [];
  if (id.length > FLOW_LIMITS.maxIdentifierLength) {
    problems.push(`action '${id}': Identifier has ${id.length} characters; at most ${FLOW_LIMITS.maxIdentifierLength} are allowed.`);
  }
  const bad = FLOW_LIMITS.forbiddenIdentifierCharacters.filter((c) => id.includes(c));
  if (bad.length > 0) {
    problems.push(`action '${id}': Identifier contains ${bad.map((c) => `'${c}'`).join(', ')}; none of ${FLOW_LIMITS.forbiddenIdentifierCharacters.join(' ')} is allowed.`);
  }
  return problems;
}

/** The Lex V2 alias ARNs that the flow's ConnectParticipantWithLexBot actions name (tokens included as placeholders). */
export function lexAliasArnsOf(flow: unknown): string[] {
  const actions = arrayOf((flow as Record<string, unknown> | null)?.Actions);
  return actions
    .filter((a) => (a as Record<string, unknown>)?.Type === 'ConnectParticipantWithLexBot')
    .map((a) => ((a as any).Parameters?.LexV2Bot?.AliasArn))
    .filter((arn): arn is string => typeof arn === 'string');
}

/** True when a literal alias ARN names the Lex test alias. */
export function isTestAliasArn(arn: string): boolean {
  return arn.endsWith(`/${LEX_TEST_ALIAS_ID}`);
}

function serialisedLength(doc: Record<string, unknown>): number {
  return JSON.stringify(doc).replace(TOKEN_PLACEHOLDER, 'x'.repeat(TOKEN_BUDGET)).length;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
