// A Lambda function whose memory, architecture, runtime, version, alias and provisioned concurrency follow the
// right-sizing a Lex bot needs by default: CPU scales with memory, and provisioned instances take the cold starts.
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_PRICES_US_EAST_1, lambdaMonthlyCost } from '../shared/pricing';
import { environmentTooLarge } from './environment-size';

/**
 * What a function does, which decides its defaults.
 */
export enum WorkloadProfile {
  /** A person waits for it (the Lex conversation path): 512 MB, 10 s timeout, 2 provisioned instances. */
  LATENCY_CRITICAL = 'LATENCY_CRITICAL',
  /** Waits on other services (Salesforce, Connect, DynamoDB): 256 MB, 30 s timeout, no provisioned concurrency. */
  IO_BOUND = 'IO_BOUND',
  /** Works off a queue or a workflow in the background (Bedrock generation): 512 MB, 60 s, no provisioned concurrency. */
  ASYNC_WORKER = 'ASYNC_WORKER',
}

interface ProfileDefaults {
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly provisionedConcurrency: number;
}

const PROFILE_DEFAULTS: Record<WorkloadProfile, ProfileDefaults> = {
  [WorkloadProfile.LATENCY_CRITICAL]: { memorySize: 512, timeout: Duration.seconds(10), provisionedConcurrency: 2 },
  [WorkloadProfile.IO_BOUND]: { memorySize: 256, timeout: Duration.seconds(30), provisionedConcurrency: 0 },
  [WorkloadProfile.ASYNC_WORKER]: { memorySize: 512, timeout: Duration.seconds(60), provisionedConcurrency: 0 },
};

/** The smallest memory a latency-critical function may have: below it, CPU time dominates the turn. */
const LATENCY_CRITICAL_MIN_MEMORY = 256;

/**
 * A scheduled change of provisioned capacity, e.g. more instances during business hours.
 */
export interface ScheduledProvisionedCapacity {
  /** A name for the schedule, unique within the function. */
  readonly name: string;
  /** When the capacity applies. */
  readonly schedule: appscaling.Schedule;
  /**
   * Lowest provisioned concurrency from then on.
   * @default - unchanged
   */
  readonly minCapacity?: number;
  /**
   * Highest provisioned concurrency from then on.
   * @default - unchanged
   */
  readonly maxCapacity?: number;
}

/**
 * Auto scaling of the alias's provisioned concurrency.
 */
export interface ProvisionedConcurrencyScaling {
  /** Upper bound of provisioned concurrency. */
  readonly maxCapacity: number;
  /**
   * Lower bound of provisioned concurrency.
   * @default - the function's provisioned concurrency
   */
  readonly minCapacity?: number;
  /**
   * Scale to keep provisioned concurrency utilization at this fraction (0.1 to 0.9).
   * @default 0.7
   */
  readonly utilizationTarget?: number;
  /**
   * Scheduled capacity changes.
   * @default - none
   */
  readonly schedules?: ScheduledProvisionedCapacity[];
}

/**
 * Properties of a `RightSizedFunction`.
 */
export interface RightSizedFunctionProps {
  /** What the function does; sets memory, timeout and provisioned concurrency. */
  readonly profile: WorkloadProfile;
  /** The code: one of the library's prebundled handlers or your own. */
  readonly code: lambda.Code;
  /**
   * The handler within the code.
   * @default 'index.handler'
   */
  readonly handler?: string;
  /**
   * Memory in MB (128 to 10240). At 1,769 MB a function has one full vCPU.
   * @default - 512 for LATENCY_CRITICAL and ASYNC_WORKER, 256 for IO_BOUND
   */
  readonly memorySize?: number;
  /**
   * Timeout.
   * @default - 10 s for LATENCY_CRITICAL, 30 s for IO_BOUND, 60 s for ASYNC_WORKER
   */
  readonly timeout?: Duration;
  /**
   * Provisioned concurrency on the `live` alias; 0 for none.
   * @default - 2 for LATENCY_CRITICAL (one instance failing leaves one warm), 0 otherwise
   */
  readonly provisionedConcurrency?: number;
  /**
   * Auto scaling of the provisioned concurrency.
   * @default - fixed provisioned concurrency
   */
  readonly provisionedConcurrencyScaling?: ProvisionedConcurrencyScaling;
  /**
   * Reserved concurrency.
   * @default - unreserved
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Architecture. arm64 costs about 20 % less per GB-second, provisioned concurrency too.
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Runtime.
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;
  /**
   * Environment variables, added to the Powertools ones the construct sets.
   * @default - only the Powertools variables
   */
  readonly environment?: { [key: string]: string };
  /**
   * Service name for Powertools logs and metrics.
   * @default - the construct id
   */
  readonly serviceName?: string;
  /**
   * CloudWatch namespace for Powertools metrics.
   * @default 'CdkFastLex'
   */
  readonly metricsNamespace?: string;
  /**
   * How long logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * X-Ray tracing.
   * @default lambda.Tracing.ACTIVE
   */
  readonly tracing?: lambda.Tracing;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
  /**
   * The function name.
   * @default - CloudFormation generates one
   */
  readonly functionName?: string;
}

/**
 * A monthly load to estimate the cost of.
 */
export interface MonthlyLoad {
  /** Invocations per month. */
  readonly requestsPerMonth: number;
  /** Average billed duration of one invocation, in ms. */
  readonly averageDurationMs: number;
}

/**
 * A monthly cost estimate in USD, from the price table in `src/shared/pricing.ts` (us-east-1 list prices, a
 * 30-day month, no free tier).
 */
export interface CostEstimate {
  /** Compute duration. */
  readonly durationUsd: number;
  /** Provisioned concurrency kept warm all month. */
  readonly provisionedConcurrencyUsd: number;
  /** Requests. */
  readonly requestsUsd: number;
  /** The sum. */
  readonly totalUsd: number;
}

/**
 * What a cost estimate needs to know of a function.
 */
export interface FunctionCostProfile {
  /** Memory in MB. */
  readonly memorySize: number;
  /** Architecture. */
  readonly architecture: lambda.Architecture;
  /**
   * Provisioned concurrency.
   * @default 0
   */
  readonly provisionedConcurrency?: number;
}

/**
 * A right-sized Lambda function: arm64, the current Node runtime, memory and timeout by workload profile, a log
 * group with retention, tracing, and always a published version behind a `live` alias, with provisioned
 * concurrency on the alias for latency-critical work. Wire every invoker to `alias`, never to the function:
 * provisioned concurrency applies only to a version or an alias, so an unqualified ARN runs `$LATEST` cold.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 *
 * const stack = new Stack(new App(), 'Bot');
 * const fn = new RightSizedFunction(stack, 'Fulfillment', {
 *   profile: WorkloadProfile.LATENCY_CRITICAL,
 *   code: lambda.Code.fromInline('exports.handler = async () => ({});'),
 * });
 * // fn.alias is what Lex, Step Functions or API Gateway should invoke.
 */
export class RightSizedFunction extends Construct implements iam.IGrantable {
  /**
   * Estimates the monthly cost of a function configuration under a load. Invocations on a function with
   * provisioned concurrency are assumed to be served by it (billed at the provisioned duration price).
   */
  public static estimateCost(profile: FunctionCostProfile, load: MonthlyLoad): CostEstimate {
    return lambdaMonthlyCost(LAMBDA_PRICES_US_EAST_1, {
      invocations: load.requestsPerMonth,
      durationMs: load.averageDurationMs,
      memoryMb: profile.memorySize,
      arm: profile.architecture.name === lambda.Architecture.ARM_64.name,
      provisioned: profile.provisionedConcurrency ?? 0,
    });
  }

  /** The function. Invoke `alias`, not this. */
  public readonly function: lambda.Function;
  /** The `live` alias: what every invoker names. */
  public readonly alias: lambda.Alias;
  /** The version the alias points to. */
  public readonly version: lambda.IVersion;
  /** The log group, with retention. */
  public readonly logGroup: logs.ILogGroup;
  /** The execution role. */
  public readonly role: iam.IRole;
  /** The principal to grant permissions to. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** Memory in MB. */
  public readonly memorySize: number;
  /** Provisioned concurrency on the alias. */
  public readonly provisionedConcurrency: number;
  /** The architecture. */
  public readonly architecture: lambda.Architecture;
  /** The workload profile. */
  public readonly profile: WorkloadProfile;

  constructor(scope: Construct, id: string, props: RightSizedFunctionProps) {
    super(scope, id);
    const defaults = PROFILE_DEFAULTS[props.profile];
    if (!defaults) {
      throw new Error(`RightSizedFunction '${id}': unknown profile '${props.profile}'. Use a WorkloadProfile value.`);
    }
    this.profile = props.profile;
    this.memorySize = props.memorySize ?? defaults.memorySize;
    this.provisionedConcurrency = props.provisionedConcurrency ?? defaults.provisionedConcurrency;
    this.architecture = props.architecture ?? lambda.Architecture.ARM_64;
    validate(id, props, this.memorySize, this.provisionedConcurrency);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    // An own role with logging scoped to this log group, instead of the AWS managed AWSLambdaBasicExecutionRole,
    // whose logs:* on every log group is more than a function needs.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`],
    }));
    this.role = role;
    const logGroupId = Stack.of(this).resolve(Stack.of(this).getLogicalId(this.logGroup.node.defaultChild as logs.CfnLogGroup));
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:*]`,
      reason: 'Lambda names its log streams at run time; the wildcard is limited to the streams of this function\'s own log group.',
    });

    const tracing = props.tracing ?? lambda.Tracing.ACTIVE;
    this.function = new lambda.Function(this, 'Function', {
      code: props.code,
      handler: props.handler ?? 'index.handler',
      runtime: props.runtime ?? lambda.Runtime.NODEJS_24_X,
      architecture: this.architecture,
      memorySize: this.memorySize,
      timeout: props.timeout ?? defaults.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing,
      logGroup: this.logGroup,
      role,
      description: props.description,
      functionName: props.functionName,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? id,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'CdkFastLex',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    this.grantPrincipal = this.function.grantPrincipal;
    // At synth, once every variable is written (addEnvironment, lazies): Lambda refuses more than 4 KB of them.
    const userVariables = Object.keys(props.environment ?? {});
    this.node.addValidation({ validate: () => { const e = environmentTooLarge(`RightSizedFunction '${this.node.path}'`, this.function, userVariables); return e ? [e] : []; } });
    if (tracing === lambda.Tracing.ACTIVE) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; Lambda active tracing needs them on *.',
      });
    }

    this.version = this.function.currentVersion;
    this.alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: 'live',
      version: this.version,
      provisionedConcurrentExecutions: this.provisionedConcurrency > 0 ? this.provisionedConcurrency : undefined,
    });

    if (props.provisionedConcurrencyScaling) {
      this.addScaling(id, props.provisionedConcurrencyScaling);
    }
  }

  /** Grants invoking the `live` alias (never `$LATEST`). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.alias.grantInvoke(grantee);
  }

  /** Adds an environment variable to the function. */
  public addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }

  /** Estimates this function's monthly cost under a load. */
  public estimateMonthlyCost(load: MonthlyLoad): CostEstimate {
    return RightSizedFunction.estimateCost({
      memorySize: this.memorySize,
      architecture: this.architecture,
      provisionedConcurrency: this.provisionedConcurrency,
    }, load);
  }

  private addScaling(id: string, scaling: ProvisionedConcurrencyScaling): void {
    const minCapacity = scaling.minCapacity ?? this.provisionedConcurrency;
    if (minCapacity < 1 && !Token.isUnresolved(minCapacity)) {
      throw new Error(`RightSizedFunction '${id}': 'provisionedConcurrencyScaling' needs provisioned concurrency; set 'provisionedConcurrency' or 'provisionedConcurrencyScaling.minCapacity' to 1 or more.`);
    }
    if (scaling.maxCapacity < minCapacity) {
      throw new Error(`RightSizedFunction '${id}': 'provisionedConcurrencyScaling.maxCapacity' (${scaling.maxCapacity}) is below its minCapacity (${minCapacity}).`);
    }
    const target = scaling.utilizationTarget ?? 0.7;
    if (target < 0.1 || target > 0.9) {
      throw new Error(`RightSizedFunction '${id}': 'provisionedConcurrencyScaling.utilizationTarget' must be between 0.1 and 0.9, got ${target}.`);
    }
    const scalable = this.alias.addAutoScaling({ minCapacity, maxCapacity: scaling.maxCapacity });
    scalable.scaleOnUtilization({ utilizationTarget: target });
    for (const s of scaling.schedules ?? []) {
      scalable.scaleOnSchedule(s.name, { schedule: s.schedule, minCapacity: s.minCapacity, maxCapacity: s.maxCapacity });
    }
  }
}

function validate(id: string, props: RightSizedFunctionProps, memorySize: number, provisioned: number): void {
  const where = `RightSizedFunction '${id}'`;
  if (!Token.isUnresolved(memorySize)) {
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
      throw new Error(`${where}: 'memorySize' must be a whole number of MB from 128 to 10240, got ${memorySize}.`);
    }
    if (props.profile === WorkloadProfile.LATENCY_CRITICAL && memorySize < LATENCY_CRITICAL_MIN_MEMORY) {
      throw new Error(`${where}: a LATENCY_CRITICAL function needs at least ${LATENCY_CRITICAL_MIN_MEMORY} MB, got ${memorySize}. `
        + 'Lambda gives CPU in proportion to memory; a Lex turn takes about 500 ms longer at 128 MB. Raise memorySize or use another profile.');
    }
  }
  if (!Token.isUnresolved(provisioned) && (!Number.isInteger(provisioned) || provisioned < 0)) {
    throw new Error(`${where}: 'provisionedConcurrency' must be a whole number, 0 or more, got ${provisioned}.`);
  }
  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && !Token.isUnresolved(reserved) && !Token.isUnresolved(provisioned) && provisioned > reserved) {
    throw new Error(`${where}: 'provisionedConcurrency' (${provisioned}) is above 'reservedConcurrentExecutions' (${reserved}). `
      + 'Lambda rejects provisioned concurrency that the reserved concurrency cannot hold; raise the reservation or lower the provisioned instances.');
  }
  if (props.timeout && !props.timeout.isUnresolved() && props.timeout.toSeconds() > 900) {
    throw new Error(`${where}: 'timeout' must be at most 15 minutes, got ${props.timeout.toHumanString()}.`);
  }
}
