// FastLexMonitoring: alarms with documented defaults and a dashboard for the whole system, CloudWatch only.
import { Annotations, Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmContext, createAlarms, validateBotScope } from './alarms';
import { dashboardRows } from './dashboard';
import type { LexBotMetricsScope } from './metrics';
import type { FastLexMonitoringProps } from './props';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../shared/bedrock-defaults';
import type { CachedLexFulfillment } from '../cached-lex-fulfillment';

/**
 * Alarms and a dashboard for a `CachedLexFulfillment` (its fulfillment alias, Lex V2 bot alias, generation queue and
 * dead-letter queue, Bedrock model and response cache hit rate), optionally a `DemoCallWorkflow` and an Amazon
 * Connect contact flow. Every alarm sends to one SNS topic, both when it fires and when it returns to OK; each
 * alarm's description says what it means and what to do. Lex alarms use the Lex V2 dimensions (BotId,
 * BotAliasId, LocaleId, Operation).
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as lex from 'aws-cdk-lib/aws-lex';
 *
 * const stack = new Stack(new App(), 'Bot');
 * declare const bot: lex.CfnBot;
 * const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', {
 *   bot,
 *   intents: [{ intentName: 'GreetingIntent', staticAnswer: 'Hello!', prompt: 'Greet the caller in one sentence.' }],
 * });
 * new FastLexMonitoring(stack, 'Monitoring', { fulfillment });
 */
export class FastLexMonitoring extends Construct {
  /** Where the alarms send. */
  public readonly alarmTopic: sns.ITopic;
  /** Every alarm created. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  private readonly alarmsById: Record<string, cloudwatch.Alarm>;

  constructor(scope: Construct, id: string, props: FastLexMonitoringProps) {
    super(scope, id);
    if (!props.fulfillment) {
      throw new Error(`FastLexMonitoring '${id}': 'fulfillment' is required (the CachedLexFulfillment to watch).`);
    }
    if (props.callFlow && (props.connectInstanceId !== undefined || props.contactFlowName !== undefined)) {
      throw new Error(`FastLexMonitoring '${id}': give 'callFlow', or 'connectInstanceId' and 'contactFlowName' for a flow of your own, not both.`);
    }
    if ((props.connectInstanceId === undefined) !== (props.contactFlowName === undefined)) {
      throw new Error(`FastLexMonitoring '${id}': give both 'connectInstanceId' and 'contactFlowName' for the Connect alarm, or neither.`);
    }
    if (props.connectInstanceId !== undefined && !Token.isUnresolved(props.connectInstanceId) && props.connectInstanceId.startsWith('arn:')) {
      throw new Error(`FastLexMonitoring '${id}': 'connectInstanceId' is the instance id (the last part of the ARN), not the ARN `
        + `'${props.connectInstanceId}': the AWS/Connect InstanceId dimension holds the id.`);
    }
    const bot = props.bot ?? botScopeOf(props.fulfillment);
    if (bot) validateBotScope(id, bot);
    else {
      Annotations.of(this).addWarningV2('cdk-fast-lex:monitoring-no-bot',
        'No Lex alarms: the CachedLexFulfillment created no bot alias and no \'bot\' was given.');
    }
    this.alarmTopic = props.alarmTopic ?? this.encryptedTopic();

    const ctx: AlarmContext = {
      fulfillment: props.fulfillment,
      workflow: props.workflow,
      bot,
      bedrockModelId: props.bedrockModelId ?? DEFAULT_BEDROCK_MODEL_ID,
      connect: connectFlowOf(props),
      thresholds: props.thresholds ?? {},
      metricsNamespace: props.metricsNamespace,
    };
    this.alarmsById = createAlarms(this, ctx);
    this.alarms = Object.values(this.alarmsById);
    const action = new actions.SnsAction(this.alarmTopic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: dashboardRows(ctx, this.alarms),
    });
  }

  /**
   * One alarm by its id: `FulfillmentP99Duration`, `FulfillmentErrors`, `FulfillmentThrottles`,
   * `ProvisionedConcurrencySpillover`, `LexCodeHookErrors`, `LexInvalidCodeHookResponses`, `LexThrottles`,
   * `LexP99Latency`, `GenerationDeadLetter`, `GenerationQueueAge`, `WorkflowFailed`, `WorkflowTimedOut`,
   * `WorkflowAborted`, `BedrockThrottles`, `BedrockLatency`, `ContactFlowErrors`, `CacheHitRate`.
   * Throws naming the ones that exist when the alarm was not created.
   */
  public alarm(alarmId: string): cloudwatch.Alarm {
    const alarm = this.alarmsById[alarmId];
    if (!alarm) {
      throw new Error(`FastLexMonitoring '${this.node.id}': no alarm '${alarmId}'. This one has: ${Object.keys(this.alarmsById).join(', ')}.`);
    }
    return alarm;
  }

  private encryptedTopic(): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: `Encrypts the alarm topic of ${this.node.path}`,
    });
    // CloudWatch publishes to an encrypted topic only if the key lets it (SNS documentation: "Enable compatibility
    // between event sources from AWS services and encrypted topics").
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    return new sns.Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true, displayName: 'cdk-fast-lex alarms' });
  }
}

/** The bot alias a CachedLexFulfillment created, with its locales. */
function botScopeOf(fulfillment: CachedLexFulfillment): LexBotMetricsScope | undefined {
  const alias = fulfillment.botAlias;
  if (!alias) return undefined;
  const settings = Stack.of(fulfillment).resolve(alias.botAliasLocaleSettings) as unknown;
  const localeIds = Array.isArray(settings)
    ? settings.map((s: Record<string, unknown>) => s.localeId ?? s.LocaleId).filter((l): l is string => typeof l === 'string')
    : [];
  return { botId: alias.botId, botAliasId: alias.attrBotAliasId, localeIds: localeIds.length > 0 ? localeIds : undefined };
}

/** The Connect flow whose errors are watched: the library's call flow, or a flow of your own. */
function connectFlowOf(props: FastLexMonitoringProps): AlarmContext['connect'] {
  if (props.callFlow) {
    return { instanceId: Arn.split(props.callFlow.instanceArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!, contactFlowName: props.callFlow.flowName };
  }
  return props.connectInstanceId !== undefined && props.contactFlowName !== undefined
    ? { instanceId: props.connectInstanceId, contactFlowName: props.contactFlowName } : undefined;
}
