// FastLexBot: a Lex V2 bot and its fast answers from one definition: the bot, its role, the fallback intent, a version
// per change, the `live` alias and the CachedLexFulfillment that answers it.
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lex from 'aws-cdk-lib/aws-lex';
import { Construct } from 'constructs';
import { CachedLexFulfillment } from '../cached-lex-fulfillment';
import type { CachedLexFulfillmentProps, IntentResponse, WorkflowIntent } from '../cached-lex-fulfillment/props';
import { cfnLocale, checkLocales, FALLBACK_INTENT_NAME, FastLexBotError, localesOf } from './bot-locales';
import { readLexExport } from './lex-export';
import type { FastLexBotProps, FastLexFulfillmentOptions, FastLexIntent, FastLexLocale, FastLexWorkflowStart } from './props';

/** An intent of an export that starts a workflow; its answer (what the caller hears at once) is its `answers` entry. */
export interface FastLexExportWorkflow extends FastLexWorkflowStart {
  /** The intent, as named in the export. */
  readonly intentName: string;
}

/**
 * Properties of `FastLexBot.fromLexExport`: the export, and the answers added in code.
 */
export interface FastLexBotFromExportProps extends FastLexFulfillmentOptions {
  /** The Lex V2 export: the `.zip` the console downloads, or the folder it unzips to. */
  readonly exportPath: string;
  /** One answer per intent of the export (the fallback intent answers with `fallbackAnswer`). */
  readonly answers: IntentResponse[];
  /**
   * Intents that start a workflow now; each still has its `answers` entry (what the caller hears at once).
   * @default - none
   */
  readonly workflows?: FastLexExportWorkflow[];
  /**
   * Intents whose workflow is given later with `startWorkflow()`.
   * @default - none
   */
  readonly startsWorkflowLater?: string[];
  /**
   * The bot's name.
   * @default - the name in the export
   */
  readonly botName?: string;
  /**
   * The bot's role.
   * @default - a new role Lex assumes, allowed polly:SynthesizeSpeech
   */
  readonly role?: iam.IRole;
}

const IDLE_TTL_SECONDS = { min: 60, max: 86_400 };

/** The fulfillment settings of the props, as CachedLexFulfillment takes them. */
function fulfillmentOptions(p: FastLexFulfillmentOptions): Omit<CachedLexFulfillmentProps, 'intents'> {
  return {
    fallbackAnswer: p.fallbackAnswer, modelId: p.modelId, maxTokens: p.maxTokens, guardrail: p.guardrail,
    syncGenerationDeadline: p.syncGenerationDeadline, turnBudget: p.turnBudget, secrets: p.secrets, callContext: p.callContext,
    provisionedConcurrency: p.provisionedConcurrency, fulfillmentMemorySize: p.fulfillmentMemorySize, fulfillmentCode: p.fulfillmentCode,
    fulfillmentHandler: p.fulfillmentHandler, fulfillmentTimeout: p.fulfillmentTimeout, progressMessages: p.progressMessages,
    existingCacheTable: p.existingCacheTable, cacheTableProps: p.cacheTableProps, botAliasName: p.botAliasName,
  };
}

/** The workflow start of an export's workflow entry, without its intent name. */
function workflowStart(w: FastLexExportWorkflow): FastLexWorkflowStart {
  return { stateMachine: w.stateMachine, workflow: w.workflow, inputSlots: w.inputSlots };
}

/** The answer fields of an intent, without the dialog fields (what CachedLexFulfillment keeps of an IntentResponse). */
function answerOf(intent: FastLexIntent): IntentResponse {
  const { utterances: _u, description: _d, slots: _s, confirmation: _c, workflow: _w, startsWorkflow: _l, ...answer } = intent;
  return answer;
}

/**
 * A Lex V2 bot and its fast answers, from one object per intent.
 *
 * Builds the `CfnBot` (every locale with its intents, slots, custom slot types and the fallback intent on
 * `AMAZON.FallbackIntent`), the role Lex assumes, and a `CachedLexFulfillment` that answers every intent from the
 * response cache (or starts its workflow), publishes a bot version per change and points the `live` alias at the
 * provisioned fulfillment alias. What Lex would refuse at deploy (names, utterances naming a slot the intent lacks,
 * a slot type that does not exist, retries above 5, text above Lex's limits) is refused at synth with the locale,
 * intent, slot and fix named. `cfnBot` and `fulfillment` are the escape hatches.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 *
 * const stack = new Stack(new App(), 'Bot');
 * new FastLexBot(stack, 'Bot', {
 *   intents: [{
 *     intentName: 'GreetingIntent',
 *     utterances: ['hello', 'good morning'],
 *     staticAnswer: 'Hello! How can I help?',
 *     prompt: 'Greet a caller of our demo line in one sentence.',
 *   }],
 * });
 */
export class FastLexBot extends Construct {
  /**
   * A FastLexBot from a bot exported from the Lex V2 console (LexJson format, the `.zip` or its unzipped folder), with
   * the answers added in code. What the export sets and FastLexBot cannot build (a dialog code hook, contexts, more
   * than one message in a prompt, a custom vocabulary, ...) is named in an error, not dropped.
   */
  public static fromLexExport(scope: Construct, id: string, props: FastLexBotFromExportProps): FastLexBot {
    const where = `FastLexBot '${id}'`;
    const exported = readLexExport(props.exportPath);
    const answers = new Map<string, IntentResponse>();
    for (const a of props.answers) {
      if (answers.has(a.intentName)) throw new FastLexBotError(`${where}: 'answers' has intent '${a.intentName}' twice. Keep one.`);
      answers.set(a.intentName, a);
    }
    const workflows = new Map((props.workflows ?? []).map((w) => [w.intentName, w]));
    const later = new Set(props.startsWorkflowLater ?? []);
    const exportedNames = new Set(exported.locales.flatMap((l) => l.intents.map((i) => i.intentName)));
    for (const name of [...answers.keys(), ...workflows.keys(), ...later]) {
      if (!exportedNames.has(name)) {
        throw new FastLexBotError(`${where}: intent '${name}' is answered in code but is not in the export (its intents: ${[...exportedNames].join(', ')}). `
          + 'Correct the name (names are case-sensitive), or add the intent in the console and export again.');
      }
    }
    const locales: FastLexLocale[] = exported.locales.map((locale) => ({
      localeId: locale.localeId,
      nluConfidenceThreshold: locale.nluConfidenceThreshold,
      voice: locale.voice,
      slotTypes: locale.slotTypes,
      intents: locale.intents.map((intent): FastLexIntent => {
        const answer = answers.get(intent.intentName);
        if (!answer) {
          throw new FastLexBotError(`${where}: intent '${intent.intentName}' of the export (locale ${locale.localeId}) has no answer. Add `
            + `{ intentName: '${intent.intentName}', staticAnswer: '...' } to 'answers'.`);
        }
        const { intentName: _name, ...fields } = answer;
        const { intentName, ...dialog } = intent;
        return {
          ...fields, ...dialog, intentName,
          ...(workflows.has(intentName) ? { workflow: workflowStart(workflows.get(intentName)!) } : {}),
          ...(later.has(intentName) ? { startsWorkflow: true } : {}),
        };
      }),
    }));
    return new FastLexBot(scope, id, {
      ...props,
      botName: props.botName ?? exported.name,
      description: exported.description,
      childDirected: exported.childDirected,
      idleSessionTtl: exported.idleSessionTtlInSeconds === undefined ? undefined : Duration.seconds(exported.idleSessionTtlInSeconds),
      locales,
    });
  }

  /** The bot (escape hatch: every `CfnBot` property can still be changed). */
  public readonly cfnBot: lex.CfnBot;
  /** The role Lex assumes for the bot. */
  public readonly role: iam.IRole;
  /** What answers the bot: the fulfillment function, the response cache, the generator, the version and the alias. */
  public readonly fulfillment: CachedLexFulfillment;
  /** The bot alias callers and flows use (`live` unless `botAliasName` says otherwise). */
  public readonly botAlias: lex.CfnBotAlias;
  /** The bot version the alias names; a new one is published on every change to the bot. */
  public readonly botVersion: lex.CfnBotVersion;
  /** The bot's locale ids. */
  public readonly localeIds: string[];
  private readonly laterWorkflows = new Map<string, FastLexIntent>();

  constructor(scope: Construct, id: string, props: FastLexBotProps) {
    super(scope, id);
    const where = `FastLexBot '${id}'`;
    const locales = localesOf(where, props);
    checkLocales(where, locales);
    const ttl = props.idleSessionTtl;
    const ttlSeconds = ttl === undefined ? 300 : ttl.isUnresolved() ? undefined : ttl.toSeconds();
    if (ttlSeconds !== undefined && (ttlSeconds < IDLE_TTL_SECONDS.min || ttlSeconds > IDLE_TTL_SECONDS.max)) {
      throw new FastLexBotError(`${where}: 'idleSessionTtl' is ${ttlSeconds} seconds; Lex keeps a session from 60 seconds (1 minute) to 86,400 (24 hours).`);
    }
    const stack = Stack.of(this);
    const botName = props.botName ?? `${stack.stackName}-${id}`.replace(/[^0-9a-zA-Z_-]/g, '').replace(/([_-])[_-]+/g, '$1').slice(0, 100);
    if (!Token.isUnresolved(botName) && (botName.length > 100 || !/^([0-9a-zA-Z][_-]?)+$/.test(botName))) {
      throw new FastLexBotError(`${where}: 'botName' '${botName}' is not a name Lex accepts: 1 to 100 letters and digits, each optionally followed by one '_' or '-'.`);
    }
    const answers = checkAnswers(where, locales);

    this.role = props.role ?? this.createRole(botName);
    this.cfnBot = new lex.CfnBot(this, 'Bot', {
      name: botName,
      description: props.description,
      roleArn: this.role.roleArn,
      dataPrivacy: { ChildDirected: props.childDirected ?? false },
      idleSessionTtlInSeconds: ttl === undefined ? 300 : ttl.toSeconds(),
      // The fulfillment publishes a version from the DRAFT, which must be built.
      autoBuildBotLocales: true,
      botLocales: locales.map(cfnLocale),
    });
    this.localeIds = locales.map((l) => l.localeId);

    const intents = [...answers.values()];
    const workflowIntents: WorkflowIntent[] = intents.filter((i) => i.workflow).map((i) => ({ intentName: i.intentName, answer: i.staticAnswer, ...i.workflow! }));
    for (const i of intents.filter((x) => x.startsWorkflow)) this.laterWorkflows.set(i.intentName, i);
    this.fulfillment = new CachedLexFulfillment(this, 'Conversation', {
      ...fulfillmentOptions(props),
      bot: this.cfnBot,
      botLocaleIds: this.localeIds,
      intents: [
        ...intents.filter((i) => !i.workflow && !i.startsWorkflow).map(answerOf),
        ...(props.fallback ? [{ ...props.fallback, intentName: FALLBACK_INTENT_NAME }] : []),
      ],
      workflowIntents: workflowIntents.length ? workflowIntents : undefined,
      fallbackIntentNames: [FALLBACK_INTENT_NAME],
    });
    this.botAlias = this.fulfillment.botAlias!;
    this.botVersion = this.fulfillment.botVersion!;
    this.node.addValidation({
      validate: () => [...this.laterWorkflows.keys()].map((name) => `${where}: intent '${name}' has 'startsWorkflow' but no workflow was given. `
        + `Call startWorkflow('${name}', { workflow }) once the workflow is built, or remove 'startsWorkflow'.`),
    });
  }

  /**
   * Gives the workflow of an intent marked `startsWorkflow`, once it is built (a `DemoCallWorkflow` whose call flow
   * needs this bot's alias). Its slots are checked against what the workflow needs, as for `workflow`.
   */
  public startWorkflow(intentName: string, start: FastLexWorkflowStart): void {
    const intent = this.laterWorkflows.get(intentName);
    if (!intent) {
      throw new FastLexBotError(`FastLexBot '${this.node.id}': startWorkflow('${intentName}') names no intent with 'startsWorkflow' still waiting for `
        + `its workflow (waiting: ${[...this.laterWorkflows.keys()].join(', ') || 'none'}). Set 'startsWorkflow: true' on the intent.`);
    }
    this.fulfillment.addWorkflowIntent({ intentName, answer: intent.staticAnswer, ...start });
    this.laterWorkflows.delete(intentName);
  }

  private createRole(botName: string): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com'),
      description: `Lex V2 bot ${botName}: speech synthesis for voice answers`,
    });
    // Lex speaks the answers on calls with Polly (the service-linked role Lex would otherwise use holds the same action).
    role.addToPolicy(new iam.PolicyStatement({ actions: ['polly:SynthesizeSpeech'], resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'polly:SynthesizeSpeech has no resource to scope to except lexicons, and the bot uses none.',
    });
    return role;
  }
}

/**
 * The answer of each intent name across the locales. The fulfillment keys answers by intent name, so an intent of
 * the same name in two locales must answer the same way.
 */
function checkAnswers(where: string, locales: readonly FastLexLocale[]): Map<string, FastLexIntent> {
  const out = new Map<string, FastLexIntent>();
  const from = new Map<string, string>();
  for (const locale of locales) {
    for (const intent of locale.intents) {
      const seen = out.get(intent.intentName);
      if (!seen) { out.set(intent.intentName, intent); from.set(intent.intentName, locale.localeId); continue; }
      const sameWorkflow = seen.workflow?.stateMachine === intent.workflow?.stateMachine && seen.workflow?.workflow === intent.workflow?.workflow
        && JSON.stringify(seen.workflow?.inputSlots) === JSON.stringify(intent.workflow?.inputSlots);
      const same = JSON.stringify(answerOf(seen)) === JSON.stringify(answerOf(intent)) && !!seen.startsWorkflow === !!intent.startsWorkflow && sameWorkflow;
      if (!same) {
        throw new FastLexBotError(`${where}: intent '${intent.intentName}' answers differently in locales ${from.get(intent.intentName)} and `
          + `${locale.localeId}; answers are kept per intent name. Give both the same answer fields, or name the intents differently.`);
      }
    }
  }
  return out;
}
