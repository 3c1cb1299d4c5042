// The bot the Lex stand-in runs: the parts of an `AWS::Lex::Bot` (in the camelCase of `CfnBot` props) that shape a
// conversation, and the bot alias's code hook, read once into plain objects.
import type { LocalLambda } from '../lambda-bundle';

/** A message as a bot defines it (`CfnBot.MessageProperty`). */
export interface BotMessage {
  readonly plainTextMessage?: { readonly value: string };
  readonly ssmlMessage?: { readonly value: string };
  readonly customPayload?: { readonly value: string };
  readonly imageResponseCard?: { readonly title: string; readonly subtitle?: string; readonly imageUrl?: string; readonly buttons?: ReadonlyArray<{ readonly text: string; readonly value: string }> };
}

/** A message group: one message and its variations (`CfnBot.MessageGroupProperty`). */
export interface BotMessageGroup {
  readonly message: BotMessage;
  readonly variations?: readonly BotMessage[];
}

/** A prompt (`CfnBot.PromptSpecificationProperty`). */
export interface BotPrompt {
  readonly messageGroupsList: readonly BotMessageGroup[];
  /** @default 0 (the CfnBot property is required; Lex consoles default it to 2) */
  readonly maxRetries?: number;
  readonly allowInterrupt?: boolean;
  /** How a group's message is picked among its variations on each attempt. @default 'Random' */
  readonly messageSelectionStrategy?: 'Random' | 'Ordered' | string;
}

/** A per-step switch for the dialog code hook (`CfnBot.DialogCodeHookInvocationSettingProperty`). */
export interface BotDialogCodeHookInvocation {
  readonly enableCodeHookInvocation: boolean;
  /** When false, the hook does not run at this step. @default true */
  readonly isActive?: boolean;
  readonly invocationLabel?: string;
}

/** The switch for the dialog code hook on a failed elicitation (`CfnBot.ElicitationCodeHookInvocationSettingProperty`). */
export interface BotElicitationCodeHookInvocation {
  readonly enableCodeHookInvocation: boolean;
  readonly invocationLabel?: string;
}

/** A response (`CfnBot.ResponseSpecificationProperty`). */
export interface BotResponse {
  readonly messageGroupsList: readonly BotMessageGroup[];
  readonly allowInterrupt?: boolean;
}

/** A slot of an intent (`CfnBot.SlotProperty`). */
export interface BotSlot {
  readonly name: string;
  readonly slotTypeName: string;
  readonly valueElicitationSetting: {
    readonly slotConstraint: 'Required' | 'Optional' | string;
    readonly promptSpecification?: BotPrompt;
    /** Values the slot takes when it is empty: `#context.slot`, `[sessionAttribute]` or a literal, first one found. */
    readonly defaultValueSpecification?: { readonly defaultValueList: ReadonlyArray<{ readonly defaultValue: string }> };
    /** What happens once a value is captured (`codeHook`) or is not (`elicitationCodeHook`). */
    readonly slotCaptureSetting?: {
      readonly codeHook?: BotDialogCodeHookInvocation;
      readonly elicitationCodeHook?: BotElicitationCodeHookInvocation;
    };
  };
}

/** Fulfillment start and update messages (`CfnBot.FulfillmentUpdatesSpecificationProperty`). */
export interface BotFulfillmentUpdates {
  readonly active: boolean;
  readonly startResponse?: { readonly delayInSeconds: number; readonly messageGroups: readonly BotMessageGroup[]; readonly allowInterrupt?: boolean };
  readonly updateResponse?: { readonly frequencyInSeconds: number; readonly messageGroups: readonly BotMessageGroup[]; readonly allowInterrupt?: boolean };
  readonly timeoutInSeconds?: number;
}

/** An intent (`CfnBot.IntentProperty`). */
export interface BotIntent {
  readonly name: string;
  readonly parentIntentSignature?: string;
  readonly sampleUtterances?: ReadonlyArray<{ readonly utterance: string }>;
  readonly slots?: readonly BotSlot[];
  readonly slotPriorities?: ReadonlyArray<{ readonly priority: number; readonly slotName: string }>;
  readonly dialogCodeHook?: { readonly enabled: boolean };
  readonly fulfillmentCodeHook?: {
    readonly enabled: boolean;
    /** When false, the code hook does not run (Lex goes on as if it had succeeded). @default true */
    readonly isActive?: boolean;
    readonly fulfillmentUpdatesSpecification?: BotFulfillmentUpdates;
    readonly postFulfillmentStatusSpecification?: { readonly successResponse?: BotResponse; readonly failureResponse?: BotResponse; readonly timeoutResponse?: BotResponse };
  };
  readonly intentConfirmationSetting?: {
    readonly promptSpecification: BotPrompt;
    readonly declinationResponse?: BotResponse;
    readonly isActive?: boolean;
    /** The dialog code hook after the user's answer to the confirmation prompt. */
    readonly codeHook?: BotDialogCodeHookInvocation;
    /** The dialog code hook when the answer is neither yes nor no. */
    readonly elicitationCodeHook?: BotElicitationCodeHookInvocation;
  };
  readonly intentClosingSetting?: { readonly closingResponse?: BotResponse; readonly isActive?: boolean };
  readonly initialResponseSetting?: { readonly initialResponse?: BotResponse; readonly codeHook?: BotDialogCodeHookInvocation };
  /** Contexts that must be active for the intent to be recognized. */
  readonly inputContexts?: ReadonlyArray<{ readonly name: string }>;
  /** Contexts the intent activates once fulfilled. */
  readonly outputContexts?: ReadonlyArray<{ readonly name: string; readonly timeToLiveInSeconds: number; readonly turnsToLive: number }>;
}

/** A custom slot type (`CfnBot.SlotTypeProperty`). */
export interface BotSlotType {
  readonly name: string;
  readonly valueSelectionSetting?: {
    /** `ORIGINAL_VALUE` (the default), `TOP_RESOLUTION` or `CONCATENATION`. */
    readonly resolutionStrategy?: 'ORIGINAL_VALUE' | 'TOP_RESOLUTION' | 'CONCATENATION' | string;
    /** With `parentSlotTypeSignature` AMAZON.AlphaNumeric: the pattern a value must match. */
    readonly regexFilter?: { readonly pattern: string };
  };
  readonly slotTypeValues?: ReadonlyArray<{ readonly sampleValue: { readonly value: string }; readonly synonyms?: ReadonlyArray<{ readonly value: string }> }>;
  readonly parentSlotTypeSignature?: string;
}

/** A locale (`CfnBot.BotLocaleProperty`). */
export interface BotLocale {
  readonly localeId: string;
  /** @default 0.4 */
  readonly nluConfidenceThreshold?: number;
  readonly intents?: readonly BotIntent[];
  readonly slotTypes?: readonly BotSlotType[];
}

/** The code hook a bot alias names for a locale, with the function that answers it. */
export interface BotCodeHook {
  /** The ARN the alias names (a Lambda alias or version ARN). */
  readonly lambdaArn: string;
  /** The function run in-process. */
  readonly lambda: LocalLambda;
}

/**
 * A bot as the stand-in runs it: the `CfnBot` props that matter (camelCase, as in CDK), the ids the runtime API
 * addresses, and one code hook per locale.
 */
export interface LexBotDefinition {
  /** Bot id of the runtime API paths. @default - derived from the bot name: 10 capitals and digits */
  readonly botId?: string;
  readonly name: string;
  /** @default 300 (Lex's default) */
  readonly idleSessionTtlInSeconds?: number;
  readonly botLocales: readonly BotLocale[];
  /** Bot alias id of the runtime API paths. @default 'TSTALIASID' */
  readonly botAliasId?: string;
  /** @default 'TestBotAlias' */
  readonly botAliasName?: string;
  /** The bot version the alias points at (the event's `bot.version`). @default 'DRAFT' */
  readonly botVersion?: string;
  /** Code hooks by locale id. @default - none: intents with code hooks enabled are answered without them */
  readonly codeHooks?: Readonly<Record<string, BotCodeHook>>;
}

/** The default NLU confidence threshold of a Lex V2 locale. */
export const DEFAULT_NLU_CONFIDENCE_THRESHOLD = 0.4;
/** The default idle session TTL of a Lex V2 bot, in seconds. */
export const DEFAULT_IDLE_SESSION_TTL_SECONDS = 300;

/** Converts a template's PascalCase property names (`BotLocales`) to CfnBot props' camelCase (`botLocales`). */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camelKeys(v)]));
}

/** A stable id of 10 capitals and digits, the shape of Lex bot and alias ids. */
export function lexId(seed: string): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < 10; round++) {
    for (const c of `${seed}#${round}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(36).toUpperCase();
  }
  return out.replace(/[^0-9A-Z]/g, '').slice(0, 10).padEnd(10, '0');
}

/** The intent's slots in elicitation order: by `slotPriorities`, then as defined. */
export function slotsInPriorityOrder(intent: BotIntent): BotSlot[] {
  const slots = [...(intent.slots ?? [])];
  const priority = new Map((intent.slotPriorities ?? []).map((p) => [p.slotName, p.priority]));
  return slots.sort((a, b) => (priority.get(a.name) ?? Number.MAX_SAFE_INTEGER) - (priority.get(b.name) ?? Number.MAX_SAFE_INTEGER));
}

/** The fallback intent of a locale (built on AMAZON.FallbackIntent). */
export function fallbackIntent(locale: BotLocale): BotIntent {
  return locale.intents?.find((i) => i.parentIntentSignature === 'AMAZON.FallbackIntent') ?? { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' };
}

/**
 * Intent settings of the conversation-flow model that the offline runtime does not play: conditional branches, explicit
 * next steps, responses after a capture or a hook, wait-and-continue, multi-value and composite slots, and the
 * generative and search intents. Lex follows them; the stand-in goes on as if they were absent.
 */
const UNMODELLED_KEYS = new Set([
  'conditional', 'captureConditional', 'failureConditional', 'successConditional', 'timeoutConditional', 'confirmationConditional', 'declinationConditional',
  'nextStep', 'captureNextStep', 'failureNextStep', 'successNextStep', 'timeoutNextStep', 'confirmationNextStep', 'declinationNextStep', 'elicitationNextStep',
  'captureResponse', 'confirmationResponse', 'postCodeHookSpecification', 'waitAndContinueSpecification', 'multipleValuesSetting', 'subSlotSetting',
  'kendraConfiguration', 'qnAIntentConfiguration', 'bedrockAgentIntentConfiguration', 'qInConnectIntentConfiguration',
]);

/** Where a locale's intents use settings the offline runtime does not play, as `Intent.path.to.setting`. */
export function unmodelledSettings(locale: BotLocale): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) { value.forEach((v, i) => walk(v, `${path}[${i}]`)); return; }
    if (value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (UNMODELLED_KEYS.has(key) && v !== undefined && v !== null) found.push(`${path}.${key}`);
      else walk(v, `${path}.${key}`);
    }
  };
  for (const intent of locale.intents ?? []) walk(intent, intent.name);
  return found;
}
