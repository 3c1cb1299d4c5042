// Lambda's 4 KB limit on a function's environment variables, checked at synth on the rendered function (every path that
// writes its environment: props, addEnvironment, lazies), with values that hold tokens estimated at their deployed size.
import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FAST_LEX_ENV } from '../shared/env';

/**
 * "The total size of all environment variables doesn't exceed 4 KB" (Lambda quotas,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), counted as the names and values in bytes.
 */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4 * 1024;

/** The prop (or method) that writes each of the library's larger variables, for the error to name. */
const WRITTEN_BY: Record<string, string> = {
  [FAST_LEX_ENV.intents]: "CachedLexFulfillment 'intents' (only when they hold tokens: otherwise they go in the config layer file)",
  [FAST_LEX_ENV.workflows]: "CachedLexFulfillment.addWorkflowIntent(...) (each workflow's 'answer' and 'input' mapping)",
  [FAST_LEX_ENV.apology]: "CachedLexFulfillment 'fallbackAnswer'",
  [FAST_LEX_ENV.fallbackIntents]: "CachedLexFulfillment 'fallbackIntentNames'",
  [FAST_LEX_ENV.phoneRules]: "DemoCallWorkflow 'allowedPhoneCountries' and 'allowedPhoneTypes'",
  [FAST_LEX_ENV.scenarioPrompt]: "DemoCallWorkflow 'scenarioPrompt'",
};

/** Deployed sizes assumed for values CloudFormation fills in, bytes: generous, so an estimate errs towards refusing. */
const TOKEN_ESTIMATES = {
  /** A physical name CloudFormation generates (`<stack>-<logical id>-<suffix>`), capped as most services cap names. */
  name: (stackName: string, logicalId: string) => Math.min(stackName.length + logicalId.length + 14, 128),
  /** An ARN: `arn:aws:<service>:<region>:<account>:<type>/` before the name. */
  arnPrefix: 64,
  /** An SQS queue URL: `https://sqs.<region>.amazonaws.com/<account>/` before the name. */
  queueUrlPrefix: 50,
  /** Anything else (an attribute, an import): a conservative guess. */
  other: 256,
  pseudo: { 'AWS::Region': 14, 'AWS::AccountId': 12, 'AWS::Partition': 10, 'AWS::URLSuffix': 13, 'AWS::StackName': 128, 'AWS::StackId': 128 } as Record<string, number>,
} as const;

/** One variable's estimated deployed size. */
export interface EnvironmentEntry {
  readonly name: string;
  readonly bytes: number;
  readonly estimated: boolean;
}

/** The function's variables as CloudFormation will deploy them, each with its size (estimated where tokens remain). */
export function environmentSizes(fn: lambda.Function): EnvironmentEntry[] {
  const stack = Stack.of(fn);
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const rendered = stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  const stackName = Token.isUnresolved(stack.stackName) ? 'stack-name-of-64-characters-at-most-assumed-for-an-estimate-xxxx' : stack.stackName;
  const types = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    const r = c as unknown as { cfnResourceType?: string; logicalId?: string };
    if (typeof r.cfnResourceType === 'string' && r.logicalId) types.set(stack.resolve(r.logicalId), r.cfnResourceType);
  }
  return Object.entries(rendered?.variables ?? {}).map(([name, value]) => {
    const { bytes, estimated } = sizeOf(value, stackName, types);
    return { name, bytes: Buffer.byteLength(name, 'utf8') + bytes, estimated };
  });
}

/**
 * The error when the variables exceed Lambda's 4 KB, naming the largest and the props that write them; undefined when
 * they fit.
 */
export function environmentTooLarge(where: string, fn: lambda.Function, userVariables: readonly string[] = []): string | undefined {
  const entries = environmentSizes(fn);
  const total = entries.reduce((t, e) => t + e.bytes, 0);
  if (total <= LAMBDA_ENVIRONMENT_MAX_BYTES) return undefined;
  const largest = [...entries].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((e) => {
    const by = WRITTEN_BY[e.name] ?? (userVariables.includes(e.name) ? "the function's 'environment'" : 'the construct');
    return `${e.name} ${e.bytes.toLocaleString('en-US')} bytes${e.estimated ? ' (estimated: it holds tokens)' : ''}, written by ${by}`;
  });
  return `${where}: its environment variables come to about ${total.toLocaleString('en-US')} bytes, over Lambda's 4 KB `
    + `(${LAMBDA_ENVIRONMENT_MAX_BYTES.toLocaleString('en-US')} bytes) limit, so the deployment would fail. The largest: ${largest.join('; ')}. `
    + 'Shorten what those props hold (fewer or shorter entries), or put large configuration in a file the function reads.';
}

function sizeOf(value: unknown, stackName: string, types: Map<string, string>): { bytes: number; estimated: boolean } {
  if (typeof value === 'string') return { bytes: Buffer.byteLength(value, 'utf8'), estimated: false };
  if (typeof value === 'number' || typeof value === 'boolean') return { bytes: String(value).length, estimated: false };
  if (typeof value !== 'object' || value === null) return { bytes: 0, estimated: false };
  const v = value as Record<string, any>;
  const name = (id: string) => TOKEN_ESTIMATES.name(stackName, id);
  if (typeof v.Ref === 'string') {
    if (v.Ref in TOKEN_ESTIMATES.pseudo) return { bytes: TOKEN_ESTIMATES.pseudo[v.Ref], estimated: true };
    const prefix = types.get(v.Ref) === 'AWS::SQS::Queue' ? TOKEN_ESTIMATES.queueUrlPrefix : 0;
    return { bytes: prefix + name(v.Ref), estimated: true };
  }
  if (Array.isArray(v['Fn::GetAtt'])) {
    const [id, attribute] = v['Fn::GetAtt'] as [string, string];
    return { bytes: /Arn$/.test(String(attribute)) ? TOKEN_ESTIMATES.arnPrefix + name(id) : name(id), estimated: true };
  }
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    const sized = (Array.isArray(parts) ? parts : []).map((p) => sizeOf(p, stackName, types));
    return { bytes: sized.reduce((t, s) => t + s.bytes, 0) + Math.max(0, sized.length - 1) * separator.length, estimated: sized.some((s) => s.estimated) };
  }
  return { bytes: TOKEN_ESTIMATES.other, estimated: true };
}
