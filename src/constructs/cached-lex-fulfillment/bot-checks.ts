// The checks CachedLexFulfillment makes on the CfnBot it is given, at synth: what Lex would refuse at deploy time or
// silently ignore at run time (an intent it never calls the function for), each with the prop and the fix named.
import { Stack, Token } from 'aws-cdk-lib';
import * as lex from 'aws-cdk-lib/aws-lex';
import { DEFAULT_FALLBACK_INTENTS } from '../../shared/defaults';
import { isWorkflowInputContract, type IWorkflowInputContract } from '../workflow-input-contract';
import type { CachedLexFulfillmentProps, WorkflowIntent } from './props';

/** One intent of one locale, as far as the checks need it. */
interface IntentView {
  readonly name: string;
  readonly parentIntentSignature?: string;
  /** Slot names; undefined when the slots are a token. */
  readonly slots?: string[];
  /** `enabled` of its fulfillment code hook; undefined when absent, 'token' when unresolved. */
  readonly codeHookEnabled?: boolean | 'token';
}

/** Reads a key in the case the user wrote it (CfnBot props are camelCase; raw overrides are PascalCase). */
function field(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  const r = o as Record<string, unknown>;
  return r[key] ?? r[key[0].toUpperCase() + key.slice(1)];
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Token.isUnresolved(v);
}

/** Locale id to its intents; undefined (no checks) when the locales are a token or come from a bot file. */
export function botLocaleIntents(bot: lex.CfnBot): Map<string, IntentView[] | undefined> | undefined {
  const resolved = Stack.of(bot).resolve(bot.botLocales);
  if (!Array.isArray(resolved)) return undefined;
  const out = new Map<string, IntentView[] | undefined>();
  for (const locale of resolved) {
    const localeId = field(locale, 'localeId');
    if (typeof localeId !== 'string') return undefined;
    const intents = field(locale, 'intents');
    if (!Array.isArray(intents) || !intents.every((i) => isPlain(i) && typeof field(i, 'name') === 'string')) {
      out.set(localeId, intents === undefined ? [] : undefined);
      continue;
    }
    out.set(localeId, intents.map((i) => {
      const slots = field(i, 'slots');
      const hook = field(i, 'fulfillmentCodeHook');
      const enabled = hook === undefined ? undefined : field(hook, 'enabled');
      return {
        name: field(i, 'name') as string,
        parentIntentSignature: field(i, 'parentIntentSignature') as string | undefined,
        slots: slots === undefined ? [] : Array.isArray(slots) && slots.every(isPlain) ? slots.map((s) => String(field(s, 'name'))) : undefined,
        codeHookEnabled: hook === undefined ? undefined : typeof enabled === 'boolean' ? enabled : 'token',
      };
    }));
  }
  return out;
}

/** The workflow a workflow intent starts, when it declares its input requirements (given, or the state machine's owner). */
export function inputContractOf(w: WorkflowIntent): IWorkflowInputContract | undefined {
  if (w.workflow) return w.workflow;
  const owner = w.stateMachine?.node.scope;
  // The workflow starts its state machine by name (workflowStateMachine); its own `stateMachine` is the same one.
  const starts = isWorkflowInputContract(owner)
    && (owner.workflowStateMachine === w.stateMachine || (owner as { stateMachine?: unknown }).stateMachine === w.stateMachine);
  return starts ? owner as IWorkflowInputContract : undefined;
}

/** Throws on a bot that does not fit the configuration: missing locales, intents, slots, fallback intent, auto-build. */
export function checkBot(where: string, bot: lex.CfnBot, props: CachedLexFulfillmentProps, localeIds: readonly string[]): void {
  const autoBuild = Stack.of(bot).resolve(bot.autoBuildBotLocales);
  if (autoBuild !== true && !Token.isUnresolved(bot.autoBuildBotLocales)) {
    throw new Error(`${where}: the bot's 'autoBuildBotLocales' must be true. The construct publishes a version from the DRAFT, `
      + 'and without auto-build the DRAFT is not built, so the version fails to create (or holds an old build). Set autoBuildBotLocales: true on the CfnBot.');
  }
  const locales = botLocaleIntents(bot);
  if (!locales) return;
  for (const localeId of localeIds) {
    if (Token.isUnresolved(localeId)) continue;
    if (!locales.has(localeId)) {
      throw new Error(`${where}: 'botLocaleIds' names '${localeId}', which the bot has no botLocales entry for `
        + `(it has ${[...locales.keys()].join(', ') || 'none'}). Add the locale to the bot, or set 'botLocaleIds' to the locales it has.`);
    }
    const intents = locales.get(localeId);
    if (!intents) continue;
    checkLocale(where, localeId, intents, props);
  }
}

function checkLocale(where: string, localeId: string, intents: IntentView[], props: CachedLexFulfillmentProps): void {
  const byName = new Map(intents.map((i) => [i.name, i]));
  const has = () => [...byName.keys()].join(', ') || 'none';
  if (!intents.some((i) => i.parentIntentSignature === 'AMAZON.FallbackIntent')) {
    throw new Error(`${where}: the bot's locale ${localeId} has no intent with parentIntentSignature 'AMAZON.FallbackIntent'; Lex needs one `
      + "in every locale. Add { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent', fulfillmentCodeHook: { enabled: true } }.");
  }
  const answered: Array<[string, string]> = [
    ...props.intents.map((i): [string, string] => [i.intentName, 'intents']),
    ...(props.workflowIntents ?? []).map((w): [string, string] => [w.intentName, 'workflowIntents']),
  ];
  for (const [name, prop] of answered) {
    const intent = byName.get(name);
    if (!intent) {
      throw new Error(`${where}: intent '${name}' in '${prop}' is not in the bot's locale ${localeId} (its intents: ${has()}). `
        + `Add the intent to that locale, or correct 'intentName' (names are case-sensitive).`);
    }
    if (intent.codeHookEnabled === false) {
      throw new Error(`${where}: intent '${name}' has fulfillmentCodeHook.enabled false in the bot's locale ${localeId}, so Lex would never `
        + 'call the fulfillment function for it. Set it to true, or leave fulfillmentCodeHook out and the construct enables it.');
    }
  }
  for (const w of props.workflowIntents ?? []) checkWorkflowInput(where, localeId, w, byName.get(w.intentName)!);
}

function checkWorkflowInput(where: string, localeId: string, w: WorkflowIntent, intent: IntentView): void {
  const label = `workflow intent '${w.intentName}'`;
  for (const [path, slot] of Object.entries(w.inputSlots ?? {})) {
    if (intent.slots && !intent.slots.includes(slot)) {
      throw new Error(`${where}: ${label}: 'inputSlots' maps '${path}' to slot '${slot}', which the intent has no slot for in the bot's `
        + `locale ${localeId} (its slots: ${intent.slots.join(', ') || 'none'}). Name one of its slots.`);
    }
  }
  const contract = inputContractOf(w);
  if (!contract) return;
  const missing = contract.requiredInputPaths.filter((p) => !(w.inputSlots && p in w.inputSlots));
  if (missing.length > 0) {
    throw new Error(`${where}: ${label} starts a workflow whose input needs ${contract.requiredInputPaths.join(', ')}, but 'inputSlots' `
      + `does not map ${missing.join(', ')}: every execution would fail validation after the caller was told a call is coming. `
      + `Map each to a slot of the intent, e.g. { '${missing[0]}': '<SlotName>' }.`);
  }
  if (contract.phoneInputPath && w.inputSlots?.[contract.phoneInputPath] !== undefined && contract.defaultPhoneCountry === undefined) {
    throw new Error(`${where}: ${label} feeds slot '${w.inputSlots[contract.phoneInputPath]}' into '${contract.phoneInputPath}', but the `
      + "workflow has no 'defaultPhoneCountry'. Lex's AMAZON.PhoneNumber slot gives the digits a caller says, usually without a country "
      + "code, and without a default country only E.164 numbers (+14155550100) pass. Set 'defaultPhoneCountry' on the workflow (e.g. 'US').");
  }
}

/**
 * Turns on the fulfillment code hook of every intent the construct answers, in the published locales, where the
 * user left `fulfillmentCodeHook` out, and merges `extra` into it. An explicit `enabled: false` is left alone (`checkBot`
 * refused it on the intents the construct must answer; a fallback intent may keep Lex's own answer)
 * Locales or intents written as tokens are left as they are.
 */
export function enableFulfillmentCodeHooks(
  where: string,
  bot: lex.CfnBot,
  localeIds: readonly string[],
  intentNames: readonly string[],
  extra: (intentName: string) => Partial<lex.CfnBot.FulfillmentCodeHookSettingProperty> = () => ({}),
): void {
  const locales = bot.botLocales;
  if (!Array.isArray(locales)) return;
  bot.botLocales = locales.map((locale) => {
    if (!isPlain(locale) || !localeIds.includes(locale.localeId as string) || !Array.isArray(locale.intents)) return locale;
    return {
      ...locale,
      intents: locale.intents.map((intent) => {
        if (!isPlain(intent) || !intentNames.includes(intent.name as string)) return intent;
        const hook = intent.fulfillmentCodeHook;
        if (hook !== undefined && (!isPlain(hook) || hook.enabled === false)) return intent;
        return { ...intent, fulfillmentCodeHook: mergeCodeHook(where, intent.name as string, hook ?? {}, extra(intent.name as string)) };
      }),
    };
  });
}

/** The intents the construct answers and whose code hook it turns on: cached, workflow and fallback intents. */
export function answeredIntentNames(props: CachedLexFulfillmentProps): string[] {
  return [
    ...props.intents.map((i) => i.intentName),
    ...(props.workflowIntents ?? []).map((w) => w.intentName),
    ...(props.fallbackIntentNames ?? DEFAULT_FALLBACK_INTENTS),
  ];
}

/** The user's code hook with `enabled: true` and the construct's settings; a setting both define is refused. */
function mergeCodeHook(where: string, intentName: string, hook: Record<string, any>, extra: Partial<lex.CfnBot.FulfillmentCodeHookSettingProperty>)
  : lex.CfnBot.FulfillmentCodeHookSettingProperty {
  const clash = (what: string) => new Error(`${where}: intent '${intentName}' already has ${what} in its fulfillmentCodeHook, and `
    + "'progressMessages' would write it too. Remove one of them.");
  if (extra.fulfillmentUpdatesSpecification && hook.fulfillmentUpdatesSpecification !== undefined) throw clash('fulfillmentUpdatesSpecification');
  const post = extra.postFulfillmentStatusSpecification as Record<string, unknown> | undefined;
  const userPost = hook.postFulfillmentStatusSpecification;
  if (post && userPost !== undefined && (!isPlain(userPost) || userPost.timeoutResponse !== undefined)) {
    throw clash('postFulfillmentStatusSpecification.timeoutResponse');
  }
  return {
    ...hook,
    enabled: true,
    ...extra,
    ...(post ? { postFulfillmentStatusSpecification: { ...(userPost ?? {}), ...post } } : {}),
  };
}
