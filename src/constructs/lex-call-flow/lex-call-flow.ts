// The Amazon Connect side of a Lex V2 voice bot: the flow that hands a call to the bot's live alias, the bot's
// association with the instance (which also writes the alias's resource policy), and optionally a claimed caller id.
import { Duration, Fn, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import { aws_lex as lexRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { LEX_TEST_ALIAS_ID } from '../../shared/lex';
import { DEFAULT_SHORT_ANSWER_END_SILENCE_MS } from '../../shared/lex-voice';
import { buildLexCallFlow } from './flow-builder';
import { generatedSpec } from './flow-spec';
import { flowProblems, isTestAliasArn, lexAliasArnsOf } from './flow-validator';
import { ImportedBotAlias } from './imported-bot-alias';
import { shortAnswerAttributes, type VoiceInputTiming } from './voice-timing';

/** The kind of number Connect claims (`AWS::Connect::PhoneNumber` `Type`). */
export enum PhoneNumberType {
  /** A toll-free number. */
  TOLL_FREE = 'TOLL_FREE',
  /** A direct inward dialing (local) number. */
  DID = 'DID',
  /** A universal international freephone number. */
  UIFN = 'UIFN',
  /** A shared number. */
  SHARED = 'SHARED',
  /** A third-party direct inward dialing number. */
  THIRD_PARTY_DID = 'THIRD_PARTY_DID',
  /** A third-party toll-free number. */
  THIRD_PARTY_TF = 'THIRD_PARTY_TF',
  /** A short code. */
  SHORT_CODE = 'SHORT_CODE',
}

/** A phone number for Connect to claim into the instance, used as the caller id. */
export interface PhoneNumberClaim {
  /** ISO 3166-1 alpha-2 country code, e.g. 'US'. */
  readonly countryCode: string;
  /** The kind of number. */
  readonly type: PhoneNumberType;
  /**
   * Leading digits the number must start with, E.164 with '+', e.g. '+1415'.
   * @default - any number of the country and type
   */
  readonly prefix?: string;
  /**
   * Description of the number in Connect.
   * @default - none
   */
  readonly description?: string;
}

/**
 * A Connect flow an outbound call runs, with what StartOutboundVoiceContact needs: the instance, the flow id and,
 * when known, the caller id.
 */
export interface IOutboundCallFlow {
  /** ARN of the Amazon Connect instance the flow belongs to. */
  readonly instanceArn: string;
  /** ARN of the flow. */
  readonly contactFlowArn: string;
  /** Id of the flow (StartOutboundVoiceContact `ContactFlowId`). */
  readonly contactFlowId: string;
  /**
   * The caller id (E.164), when the flow comes with one.
   * @default - none: the caller sets a source number or a queue
   */
  readonly callerId?: string;
}

/** What every LexCallFlow needs, generated or hand-made. */
export interface LexCallFlowBaseProps {
  /** ARN of the Amazon Connect instance, `arn:aws:connect:<region>:<account>:instance/<id>`. */
  readonly instanceArn: string;
  /**
   * The bot alias the call talks to: a `CfnBotAlias` (e.g. `CachedLexFulfillment.botAlias`), any `IBotAliasRef`, or
   * `LexCallFlow.botAliasFromArn(...)`. Never the test alias `TSTALIASID`.
   */
  readonly botAlias: lexRefs.IBotAliasRef;
  /**
   * Name of the flow in Connect (unique in the instance), in ASCII: CloudWatch does not show a flow whose name has
   * other characters, so its `ContactFlowErrors` alarm would never see data.
   * @default - a name unique to this construct path
   */
  readonly flowName?: string;
  /**
   * Description of the flow in Connect.
   * @default 'Hands the call to the Lex V2 bot alias'
   */
  readonly description?: string;
  /**
   * Claim a phone number into the instance and use it as the caller id. Mutually exclusive with `sourcePhoneNumber`.
   * @default - no number is claimed
   */
  readonly claimPhoneNumber?: PhoneNumberClaim;
  /**
   * A number already claimed in the instance (E.164), used as the caller id. Mutually exclusive with `claimPhoneNumber`.
   * @default - no caller id, unless `claimPhoneNumber` is set
   */
  readonly sourcePhoneNumber?: string;
}

/** Properties of `LexCallFlow`: the generated flow's words and behaviour. */
export interface LexCallFlowProps extends LexCallFlowBaseProps {
  /**
   * Spoken once when the call connects, before the bot. Lex V2 says nothing until it has recognised an intent, so a
   * call handed to the bot without words would start in silence.
   * @default DEFAULT_CALL_GREETING ('Hello, this is an automated assistant calling.')
   */
  readonly greeting?: string;
  /**
   * Spoken as the bot starts listening (the Get customer input prompt): the question the callee answers first.
   * @default DEFAULT_CALL_PROMPT ('How can I help you today?')
   */
  readonly prompt?: string;
  /**
   * Lex session attributes filled from contact attributes (the `Attributes` of StartOutboundVoiceContact), Lex
   * session key to contact attribute name; each becomes `$.Attributes.<name>`.
   * @default { interactionKey: 'interactionKey' }
   */
  readonly sessionAttributes?: { [lexSessionKey: string]: string };
  /**
   * Whether the caller may interrupt the bot while it speaks (Lex V2 session attribute `x-amz-lex:allow-interrupt:*:*`;
   * Lex V2 allows it by default, and `false` turns it off for every intent and slot).
   * @default true
   */
  readonly bargeIn?: boolean;
  /**
   * Voice input timing per intent and slot (`x-amz-lex:audio:*` and `x-amz-lex:dtmf:*` session attributes); an entry
   * for an intent and slot wins over one with `*`, and over the short-answer default.
   * @default - Lex's defaults (600 ms end silence, 4 s start timeout...), and `shortAnswerEndSilence` for short answers
   */
  readonly voiceTiming?: VoiceInputTiming[];
  /**
   * End-of-speech silence for slots whose answers are one word or one number (types `AMAZON.Confirmation` and
   * `AMAZON.Number`), found in the bot when `botAlias` is a `CfnBotAlias` of a `CfnBot` in the same stack. Each turn
   * waits this long after the callee stops speaking, instead of Lex's 600 ms.
   * @default Duration.millis(DEFAULT_SHORT_ANSWER_END_SILENCE_MS) (400 ms)
   */
  readonly shortAnswerEndSilence?: Duration;
  /**
   * Intents whose return means the bot did not understand; the flow asks again. On a voice call Lex also ends in the
   * fallback intent when the callee stays silent through the bot's re-prompts.
   * @default DEFAULT_FALLBACK_INTENTS (['FallbackIntent'])
   */
  readonly noMatchIntentNames?: string[];
  /**
   * How many times the flow asks again after a no-match intent (a callee Lex did not understand, or who stayed silent)
   * (0-5).
   * @default 2
   */
  readonly maxReAsks?: number;
  /**
   * Further questions the caller may ask once the bot has answered one (0-20): Connect hands the call back to the bot
   * with `followUpPrompt`; a no-match intent there (silence, or nothing the bot knows) ends the call with the goodbye.
   * With 0 the call ends once the bot closes the first intent.
   * @default 0
   */
  readonly followUpQuestions?: number;
  /**
   * Spoken as the flow hands the call back to the bot for another question.
   * @default 'Is there anything else I can help you with?'
   */
  readonly followUpPrompt?: string;
  /**
   * Spoken when the flow asks again.
   * @default DEFAULT_APOLOGY ("Sorry, I didn't catch that. Could you say it another way?")
   */
  readonly reAskPrompt?: string;
  /**
   * Spoken when the re-asks are used up, before hanging up.
   * @default "Sorry, I still couldn't understand. Goodbye."
   */
  readonly noMatchMessage?: string;
  /**
   * Spoken when the bot or the flow fails, before hanging up.
   * @default "Sorry, something went wrong on our side. Please try again later. Goodbye."
   */
  readonly errorMessage?: string;
  /**
   * Spoken when the conversation has ended, before hanging up.
   * @default 'Thank you for your time. Goodbye.'
   */
  readonly goodbye?: string;
}

/** Properties of `LexCallFlow.fromFlowJson`: a hand-made flow instead of the generated one. */
export interface LexCallFlowFromJsonProps extends LexCallFlowBaseProps {
  /** The flow document (Flow language, Version "2019-10-30") as JSON text, e.g. exported from the Connect console. */
  readonly flowJson: string;
}

const INSTANCE_ARN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const handMadeFlows = new WeakMap<object, unknown>();

/**
 * The Amazon Connect flow that joins a call to a Lex V2 bot, generated in code.
 *
 * Creates an `AWS::Connect::ContactFlow` (type CONTACT_FLOW): flow logging on, a spoken greeting, the bot's live alias
 * (`ConnectParticipantWithLexBot`) asking a first question, with the call's contact attributes as Lex session
 * attributes (`interactionKey` by default), barge-in and voice timing, a bounded re-ask on a no-match intent (on a call
 * that includes a callee who stays silent through Lex's re-prompts), a spoken apology on errors, a goodbye and a
 * hang-up. The flow is checked at synth time against Connect's limits (250 actions, identifiers, transitions, content
 * size). Creates the `AWS::Connect::IntegrationAssociation` (LEX_BOT), which lets this instance use the alias: Connect
 * adds its own statement to the alias's resource-based policy when it associates the bot, so no
 * `AWS::Lex::ResourcePolicy` is created here (a second writer of the one policy an alias holds would race it);
 * optionally claims a caller id.
 *
 * Flow logs: the flow turns logging on, but Connect writes flow logs only where the instance has flow logging enabled
 * too (the instance's `CONTACTFLOW_LOGS` attribute, "Enable flow logs" in the console).
 *
 * Assumptions: an intent name condition matches the intent the bot last returned, and a returned intent outside the
 * conditions takes the `NoMatchingCondition` branch (treated as a finished conversation).
 *
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import * as lex from 'aws-cdk-lib/aws-lex';
 *
 * declare const stack: Stack;
 * declare const botAlias: lex.CfnBotAlias;
 * const flow = new LexCallFlow(stack, 'CallFlow', {
 *   instanceArn: 'arn:aws:connect:us-west-2:111122223333:instance/11111111-2222-3333-4444-555555555555',
 *   botAlias,
 *   greeting: 'Hi, this is the Atlas demo line.',
 *   claimPhoneNumber: { countryCode: 'US', type: PhoneNumberType.DID },
 * });
 * // flow.contactFlowId and flow.callerId go to StartOutboundVoiceContact.
 */
export class LexCallFlow extends Construct implements IOutboundCallFlow {
  /**
   * A hand-made flow (e.g. exported from the Connect console), checked like a generated one; the bot association is
   * created for `botAlias` as well.
   */
  public static fromFlowJson(scope: Construct, id: string, props: LexCallFlowFromJsonProps): LexCallFlow {
    let flow: unknown;
    try {
      flow = JSON.parse(props.flowJson);
    } catch (error) {
      throw new Error(`LexCallFlow '${id}': 'flowJson' is not valid JSON (${(error as Error).message}).`, { cause: error });
    }
    const { flowJson: _, ...base } = props;
    const key: LexCallFlowProps = { ...base };
    handMadeFlows.set(key, flow);
    return new LexCallFlow(scope, id, key);
  }

  /** A bot alias known by its ARN (`arn:aws:lex:<region>:<account>:bot-alias/<botId>/<botAliasId>`). */
  public static botAliasFromArn(scope: Construct, id: string, botAliasArn: string): lexRefs.IBotAliasRef {
    return new ImportedBotAlias(scope, id, botAliasArn);
  }

  /** ARN of the Amazon Connect instance. */
  public readonly instanceArn: string;
  /** The contact flow. */
  public readonly contactFlow: connect.CfnContactFlow;
  /** Name of the flow in Connect (the `ContactFlowName` dimension of its metrics). */
  public readonly flowName: string;
  /** ARN of the flow, `.../instance/<id>/contact-flow/<flowId>`. */
  public readonly contactFlowArn: string;
  /** Id of the flow (the last ARN segment), as StartOutboundVoiceContact's `ContactFlowId` wants it. */
  public readonly contactFlowId: string;
  /** The bot's association with the instance; Connect writes the alias's resource policy statement with it. */
  public readonly integrationAssociation: connect.CfnIntegrationAssociation;
  /** The claimed number, when `claimPhoneNumber` was set. */
  public readonly phoneNumber?: connect.CfnPhoneNumber;
  /** The caller id (E.164): the claimed number's address or `sourcePhoneNumber`. */
  public readonly callerId?: string;

  constructor(scope: Construct, id: string, props: LexCallFlowProps) {
    super(scope, id);
    const where = `LexCallFlow '${id}'`;
    const stack = Stack.of(this);
    validateBase(where, stack, props);
    const aliasArn = props.botAlias.botAliasRef.botAliasArn;
    this.instanceArn = props.instanceArn;

    const handMade = handMadeFlows.has(props);
    const flow = handMade ? handMadeFlows.get(props) : buildLexCallFlow(generatedSpec(where, props, aliasArn));
    const problems = flowProblems(flow);
    if (problems.length > 0) {
      throw new Error(`${where}: Connect would refuse this flow: ${problems.join(' ')}`);
    }
    for (const arn of lexAliasArnsOf(flow)) {
      if (!Token.isUnresolved(arn) && isTestAliasArn(arn)) {
        throw new Error(`${where}: the flow names the Lex test alias (${arn}), which allows few concurrent calls. Name a published alias such as the one CachedLexFulfillment creates.`);
      }
    }

    if (!handMade) addShortAnswerTiming(flow as Record<string, unknown>, props);

    // One writer of the alias's resource policy: associating the bot makes Connect add its statement ("When you
    // associate an Amazon Lex bot with your Amazon Connect instance, the resource-based policy on the bot is updated",
    // Connect admin guide, "Add an Amazon Lex bot").
    this.integrationAssociation = new connect.CfnIntegrationAssociation(this, 'BotAssociation', {
      instanceId: props.instanceArn,
      integrationType: 'LEX_BOT',
      integrationArn: aliasArn,
    });

    if (props.flowName !== undefined && !Token.isUnresolved(props.flowName) && !/^[\x20-\x7e]{1,127}$/.test(props.flowName)) {
      throw new Error(`${where}: 'flowName' must be 1-127 printable ASCII characters, got '${props.flowName}'. CloudWatch does not show a flow whose name has other characters, so its ContactFlowErrors alarm would never see data.`);
    }
    this.flowName = props.flowName ?? Names.uniqueResourceName(this, { maxLength: 127, separator: '-' });
    this.contactFlow = new connect.CfnContactFlow(this, 'Flow', {
      instanceArn: props.instanceArn,
      name: this.flowName,
      type: 'CONTACT_FLOW',
      state: 'ACTIVE',
      description: props.description ?? 'Hands the call to the Lex V2 bot alias',
      content: stack.toJsonString(flow),
    });
    // Connect checks at flow creation that the bot it names is usable by the instance.
    this.contactFlow.node.addDependency(this.integrationAssociation);
    this.contactFlowArn = this.contactFlow.attrContactFlowArn;
    this.contactFlowId = LexCallFlow.flowIdOf(this.contactFlowArn);

    if (props.claimPhoneNumber) {
      this.phoneNumber = new connect.CfnPhoneNumber(this, 'PhoneNumber', {
        targetArn: props.instanceArn,
        countryCode: props.claimPhoneNumber.countryCode,
        type: props.claimPhoneNumber.type,
        prefix: props.claimPhoneNumber.prefix,
        description: props.claimPhoneNumber.description ?? `Caller id of ${this.node.path}`,
      });
      this.callerId = this.phoneNumber.attrAddress;
    } else {
      this.callerId = props.sourcePhoneNumber;
    }
  }

  /** The flow id in a flow ARN (`.../instance/<id>/contact-flow/<flowId>`): the last segment, for literals and tokens. */
  public static flowIdOf(contactFlowArn: string): string {
    return Fn.select(3, Fn.split('/', contactFlowArn));
  }
}

function validateBase(where: string, stack: Stack, props: LexCallFlowBaseProps): void {
  if (!Token.isUnresolved(props.instanceArn) && !INSTANCE_ARN.test(props.instanceArn)) {
    throw new Error(`${where}: 'instanceArn' must be an Amazon Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>), got '${props.instanceArn}'.`);
  }
  const ref = props.botAlias.botAliasRef;
  const aliasId = stack.resolve(ref.botAliasId);
  const arn = ref.botAliasArn;
  if (aliasId === LEX_TEST_ALIAS_ID || (!Token.isUnresolved(arn) && isTestAliasArn(arn))) {
    throw new Error(
      `${where}: 'botAlias' is the Lex test alias ${LEX_TEST_ALIAS_ID}, which allows few concurrent calls and is not meant for production. `
      + 'Pass a published alias: CachedLexFulfillment.botAlias, your own CfnBotAlias, or LexCallFlow.botAliasFromArn(...) with its ARN.',
    );
  }
  if (props.claimPhoneNumber && props.sourcePhoneNumber) {
    throw new Error(`${where}: set 'claimPhoneNumber' (claim a new number) or 'sourcePhoneNumber' (an existing one), not both.`);
  }
  if (props.sourcePhoneNumber && !Token.isUnresolved(props.sourcePhoneNumber) && !E164.test(props.sourcePhoneNumber)) {
    throw new Error(`${where}: 'sourcePhoneNumber' must be an E.164 number such as +14155550100, got '${props.sourcePhoneNumber}'.`);
  }
  const claim = props.claimPhoneNumber;
  if (claim && !Token.isUnresolved(claim.countryCode) && !/^[A-Z]{2}$/.test(claim.countryCode)) {
    throw new Error(`${where}: 'claimPhoneNumber.countryCode' must be an ISO 3166-1 alpha-2 code such as 'US', got '${claim.countryCode}'.`);
  }
  if (claim?.prefix && !Token.isUnresolved(claim.prefix) && !/^\+[0-9]{1,15}$/.test(claim.prefix)) {
    throw new Error(`${where}: 'claimPhoneNumber.prefix' must be '+' and digits, such as '+1415', got '${claim.prefix}'.`);
  }
}

/**
 * Gives the bot's short-answer slots the shorter end silence, unless `voiceTiming` names them: read when the template is
 * written (lazily), so intents added to the bot after this construct count too.
 */
function addShortAnswerTiming(flow: Record<string, unknown>, props: LexCallFlowProps): void {
  const endSilenceMs = props.shortAnswerEndSilence?.toMilliseconds() ?? DEFAULT_SHORT_ANSWER_END_SILENCE_MS;
  for (const action of flow.Actions as Array<{ Type: string; Parameters: Record<string, unknown> }>) {
    if (action.Type !== 'ConnectParticipantWithLexBot') continue;
    const fixed = action.Parameters.LexSessionAttributes as Record<string, string>;
    action.Parameters.LexSessionAttributes = Lazy.any({ produce: () => ({ ...shortAnswerAttributes(props.botAlias, endSilenceMs, fixed), ...fixed }) });
  }
}
