// Reads the Connect flow and the instance's bot associations out of a synthesized template, resolved for offline use.
import { CfnResolver, type CfnResource, type Json } from '../cfn-resolver';

/** Options of `connectFlowFromTemplate`. */
export interface ConnectFlowFromTemplateOptions {
  /** Logical id of the `AWS::Connect::ContactFlow`. @default - the only one in the template */
  readonly flowLogicalId?: string;
  /**
   * Physical names by logical id, as LocalWorkflow takes them. A bot alias's entry may be its full ARN.
   * @default - each `AWS::Lex::BotAlias` is `arn:aws:lex:<region>:<account>:bot-alias/<bot logical id>/<alias logical id>`
   */
  readonly physicalNames?: Readonly<Record<string, string>>;
  /**
   * The ARN a bot alias resolves to, from its bot's and its own logical ids (a `physicalNames` entry wins).
   * @default - `arn:aws:lex:<region>:<account>:bot-alias/<bot logical id>/<alias logical id>`
   */
  readonly botAliasArn?: (botLogicalId: string, aliasLogicalId: string) => string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly account?: string;
}

/** The resolved flow and the bot alias ARNs the template associates with the flow's instance. */
export interface ConnectFlowFromTemplate {
  /** The flow document, every token resolved. */
  readonly flow: Record<string, unknown>;
  /** The `AWS::Connect::IntegrationAssociation` (LEX_BOT) alias ARNs of the flow's instance. */
  readonly botAliasArns: string[];
  /** The instance ARN the flow belongs to. */
  readonly instanceArn: string;
  /** The logical id of the flow. */
  readonly flowLogicalId: string;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** The flow of a synthesized template (`Template.toJSON()` or the template file), resolved, with its instance's bots. */
export function connectFlowFromTemplate(template: { Resources?: Record<string, unknown> }, options: ConnectFlowFromTemplateOptions = {}): ConnectFlowFromTemplate {
  const resources = (template.Resources ?? {}) as Resources;
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const flows = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::Connect::ContactFlow');
  const flowLogicalId = options.flowLogicalId ?? (flows.length === 1 ? flows[0] : undefined);
  if (!flowLogicalId || !flows.includes(flowLogicalId)) {
    throw new Error(`connectFlowFromTemplate: ${options.flowLogicalId ? `no AWS::Connect::ContactFlow '${options.flowLogicalId}'` : `${flows.length} AWS::Connect::ContactFlow resources`} in the template; pass 'flowLogicalId' (one of: ${flows.join(', ') || 'none'}).`);
  }

  const physicalNames: Record<string, string> = {};
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lex::BotAlias') continue;
    const botId = r.Properties?.BotId;
    const botName = typeof botId === 'string' ? botId : (botId?.Ref ?? botId?.['Fn::GetAtt']?.[0] ?? 'BOT');
    physicalNames[id] = options.botAliasArn?.(botName, id) ?? `arn:aws:lex:${region}:${account}:bot-alias/${botName}/${id}`;
  }
  Object.assign(physicalNames, options.physicalNames);
  const resolver = new CfnResolver(resources as Record<string, CfnResource>, { physicalNames, region, account });
  const resolve = (v: unknown) => resolver.resolve(v as Json);

  const props = resources[flowLogicalId].Properties ?? {};
  const content = resolve(props.Content);
  if (typeof content !== 'string') throw new Error(`connectFlowFromTemplate: the Content of '${flowLogicalId}' did not resolve to text.`);
  const instanceArn = String(resolve(props.InstanceArn));
  const botAliasArns = Object.values(resources)
    .filter((r) => r.Type === 'AWS::Connect::IntegrationAssociation' && r.Properties?.IntegrationType === 'LEX_BOT')
    .filter((r) => String(resolve(r.Properties?.InstanceId)) === instanceArn)
    .map((r) => String(resolve(r.Properties?.IntegrationArn)));
  return { flow: JSON.parse(content), botAliasArns, instanceArn, flowLogicalId };
}
