// The steps of one Lambda invocation as the model estimates them (from what its role may call), and its monthly cost.
import { readsCacheTable, readsSecretsUncached } from '../checks/rules';
import { FunctionFacts, grants, TemplateModel } from '../checks/template-model';
import { LambdaPriceTable, lambdaMonthlyCost } from '../shared/pricing';
import { bedrockFigure, LatencyModel, speedAt } from './model';
import type { Step } from './report';
import { pct, round } from './text';

export interface FunctionContext {
  readonly provisioned: number;
  readonly conversation: boolean;
  readonly alternative: boolean;
}

/** Memory and architecture a variant runs a function with. */
export function variantShape(model: LatencyModel, f: FunctionFacts, alternative: boolean) {
  return {
    memoryMb: alternative ? Math.max(f.memoryMb, model.alternativeMemoryMb.value) : f.memoryMb,
    architecture: alternative ? 'arm64' : f.architecture,
  };
}

const NOT_COUNTED_SERVICES = new Set(['secretsmanager', 'dynamodb', 'bedrock', 'connect', 'logs', 'xray', 'kms', 'cloudwatch', 'ec2']);

/**
 * The steps of one invocation, inferred from what the function's role may call (each permission family is one call
 * in sequence, as a handler without a cache does), plus its cold start and its own compute time.
 */
export function functionSteps(
  model: LatencyModel, tm: TemplateModel, f: FunctionFacts, ctx: FunctionContext,
): Step[] {
  const steps: Step[] = [];
  const { memoryMb } = variantShape(model, f, ctx.alternative);
  const miss = 1 - model.cacheHitRate.value;
  const missOnly = ctx.conversation && f.runtimeMarker;
  const sizeMb = ((f.codeBytes ?? 0) + f.layerBytes) / 1048576;
  const coldMs = model.coldStartBaseMs.value + model.coldStartMsPerMb.value * sizeMb;
  const provisioned = ctx.alternative && ctx.conversation ? Math.max(ctx.provisioned, model.alternativeProvisionedConcurrency.value) : ctx.provisioned;
  const p = provisioned > 0 ? 0 : model.coldStartProbability.value;
  steps.push({
    name: 'Cold start',
    ms: p * coldMs,
    detail: provisioned > 0 ? `provisioned concurrency ${provisioned}` : `${pct(p)} x ${round(coldMs)} ms (${sizeMb.toFixed(1)} MB code and layers)`,
  });
  if (grants(f, ['secretsmanager:GetSecretValue'])) {
    const cached = ctx.alternative || !readsSecretsUncached(f);
    steps.push({ name: 'Secrets Manager', ms: cached ? 0 : model.secretsManagerMs.value, detail: cached ? 'cached' : 'every invocation' });
  }
  if (grants(f, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'])) {
    const warm = ctx.alternative || f.runtimeMarker;
    steps.push({ name: 'DynamoDB read', ms: warm ? model.dynamoDbReadWarmMs.value : model.dynamoDbReadMs.value, detail: warm ? 'warm client' : '' });
  }
  if (grants(f, ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'])) {
    // The library's fulfillment runtime writes only on a miss (the refresh lease), not on every turn.
    steps.push(missOnly
      ? { name: 'DynamoDB write', ms: miss * model.dynamoDbWriteMs.value, detail: `${pct(miss)} cache misses x ${model.dynamoDbWriteMs.value} ms` }
      : { name: 'DynamoDB write', ms: model.dynamoDbWriteMs.value, detail: '' });
  }
  if (grants(f, ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:Converse', 'bedrock:ConverseStream'])) {
    const cached = readsCacheTable(tm, f) || (ctx.alternative && ctx.conversation);
    const bedrock = bedrockFigure(model, modelIdOf(f));
    steps.push({
      name: 'Bedrock',
      ms: cached ? miss * bedrock.ms : bedrock.ms,
      detail: cached ? `${pct(miss)} cache misses x ${bedrock.ms} ms` : `every invocation, ${bedrock.ms} ms${modelIdOf(f) ? ` (${modelIdOf(f)})` : ''}`,
    });
  }
  const placesCall = grants(f, ['connect:StartOutboundVoiceContact']);
  if (placesCall) {
    steps.push({ name: 'Connect outbound call', ms: model.connectStartCallMs.value, detail: '' });
  }
  const others = new Set(f.grants.flatMap((g) => g.actions.map((a) => a.split(':')[0])).filter((s) => s !== '*' && !NOT_COUNTED_SERVICES.has(s)));
  if (others.size > 0) {
    const ms = others.size * model.otherAwsCallMs.value;
    const list = [...others].sort().join(', ');
    // The runtime calls SQS (and Step Functions) only when it enqueues a generation or starts a workflow.
    steps.push(missOnly
      ? { name: 'Other AWS calls', ms: miss * ms, detail: `${list}, on ${pct(miss)} cache misses` }
      : { name: 'Other AWS calls', ms, detail: list });
  }
  const speed = speedAt(model, memoryMb);
  steps.push({ name: 'Compute', ms: model.computeMsAt1x.value / speed, detail: `${memoryMb} MB, ${speed.toFixed(2)}x` });
  return placesCall ? steps.map((x) => ({ ...x, placesCall: true })) : steps;
}

/** Monthly Lambda cost of a function for a number of invocations of a given duration (the shared formula). */
export function lambdaMonthlyUsd(
  prices: LambdaPriceTable,
  o: { invocations: number; durationMs: number; memoryMb: number; architecture: string; provisioned: number },
): number {
  return lambdaMonthlyCost(prices, { ...o, arm: o.architecture === 'arm64' }).totalUsd;
}

/** The Bedrock model a function calls, from its environment (`FAST_LEX_MODEL_ID` or another `*MODEL_ID`). */
function modelIdOf(f: FunctionFacts): string | undefined {
  const env = f.environment as Record<string, unknown>;
  const key = 'FAST_LEX_MODEL_ID' in env ? 'FAST_LEX_MODEL_ID' : Object.keys(env).find((k) => k.endsWith('MODEL_ID'));
  const v = key === undefined ? undefined : env[key];
  return typeof v === 'string' ? v : undefined;
}
