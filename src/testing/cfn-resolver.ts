// Resolves the CloudFormation intrinsics CDK emits (Ref, Fn::GetAtt, Fn::Join, Fn::Sub...) in a synthesized
// template, with local physical names: what the offline runners need to read definitions, environments and ARNs.

/** A JSON value of a template. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Where the resolved names point. */
export interface CfnResolverOptions {
  /**
   * Physical names for resources, by logical id (what `Ref` returns for tables, queues...). A queue's may be its full
   * URL (a local SQS endpoint's), which `Ref` then returns as it is. @default - the logical id
   */
  readonly physicalNames?: Readonly<Record<string, string>>;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly account?: string;
}

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** Resolves the CloudFormation intrinsics CDK emits in definitions and environments, with local physical names. */
export class CfnResolver {
  private readonly region: string;
  private readonly account: string;

  constructor(private readonly resources: Record<string, CfnResource>, private readonly options: CfnResolverOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
  }

  functionArn(logicalId: string): string {
    const name = this.resolve((this.resources[logicalId]?.Properties?.FunctionName as Json) ?? this.physicalName(logicalId));
    return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
  }

  refersTo(value: Json | undefined, logicalId: string): boolean {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
    const v = value as Record<string, Json>;
    return v.Ref === logicalId || (Array.isArray(v['Fn::GetAtt']) && v['Fn::GetAtt'][0] === logicalId);
  }

  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = value[k];
      switch (k) {
        case 'Ref': return this.ref(String(arg));
        case 'Fn::GetAtt': return this.getAtt(...(arg as [string, string]));
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, Json[]];
          return (this.resolve(parts) as Json[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [i, list] = arg as [number, Json];
          return (this.resolve(list) as Json[])[Number(i)];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, Json];
          return String(this.resolve(s)).split(sep);
        }
        case 'Fn::Sub': {
          const [text, vars] = (typeof arg === 'string' ? [arg, {}] : arg) as [string, Record<string, Json>];
          return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => String(
            name in vars ? this.resolve(vars[name]) : name.includes('.') ? this.getAtt(...(name.split('.') as [string, string])) : this.ref(name),
          ));
        }
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  private physicalName(logicalId: string): string {
    return this.options.physicalNames?.[logicalId] ?? logicalId;
  }

  private ref(id: string): Json {
    switch (id) {
      case 'AWS::Partition': return 'aws';
      case 'AWS::Region': return this.region;
      case 'AWS::AccountId': return this.account;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return 'local';
      case 'AWS::NoValue': return null;
    }
    const r = this.resources[id];
    if (!r) return this.physicalName(id); // a parameter or an unknown reference: its local name
    switch (r.Type) {
      case 'AWS::Lambda::Function': return this.resolve((r.Properties?.FunctionName as Json) ?? this.physicalName(id));
      case 'AWS::Lambda::Alias': {
        const fn = r.Properties?.FunctionName as Json;
        const fnName = typeof fn === 'object' && fn && !Array.isArray(fn) && 'Ref' in fn ? this.ref(String(fn.Ref)) : this.resolve(fn);
        return `arn:aws:lambda:${this.region}:${this.account}:function:${fnName}:${this.resolve(r.Properties?.Name as Json)}`;
      }
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${this.region}:${this.account}:stateMachine:${this.resolve((r.Properties?.StateMachineName as Json) ?? this.physicalName(id))}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${this.region}:${this.account}:secret:${this.physicalName(id)}`;
      case 'AWS::SQS::Queue': {
        const name = this.physicalName(id);
        return /^https?:\/\//.test(name) ? name : `https://sqs.${this.region}.amazonaws.com/${this.account}/${name}`;
      }
      default: return this.physicalName(id);
    }
  }

  private getAtt(id: string, attribute: string): Json {
    const r = this.resources[id];
    const name = String(this.ref(id));
    if (attribute !== 'Arn') return `${name}.${attribute}`;
    switch (r?.Type) {
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
      case 'AWS::DynamoDB::Table': return `arn:aws:dynamodb:${this.region}:${this.account}:table/${name}`;
      case 'AWS::SQS::Queue': return `arn:aws:sqs:${this.region}:${this.account}:${this.physicalName(id).split('/').pop()}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${this.account}:role/${name}`;
      default: return name.startsWith('arn:') ? name : `arn:aws:local:${this.region}:${this.account}:${name}`;
    }
  }
}
