import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { RightSizedFunction, WorkloadProfile } from '../../src';
import { describeConstruct, expectSnapshot, skipNagCheck, testStack } from '../helpers/construct-test';

const code = lambda.Code.fromInline('exports.handler = async () => ({});');


describeConstruct('RightSizedFunction', () => {
  it('defaults a latency-critical function to 512 MB, arm64, Node 24, tracing and 2 provisioned instances on the live alias', () => {
    const stack = testStack();
    new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.LATENCY_CRITICAL, code });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 10,
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'Fn', POWERTOOLS_METRICS_NAMESPACE: 'CdkFastLex' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnFunctionCurrentVersion'), 'Version'] },
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
    });
    template.resourceCountIs('AWS::Lambda::Version', 1);
  });

  it('sizes I/O-bound functions at 256 MB and async workers at 512 MB, without provisioned concurrency', () => {
    const stack = testStack();
    new RightSizedFunction(stack, 'Io', { profile: WorkloadProfile.IO_BOUND, code });
    new RightSizedFunction(stack, 'Worker', { profile: WorkloadProfile.ASYNC_WORKER, code });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 256, Timeout: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512, Timeout: 60 });
    template.allResourcesProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: Match.absent() });
  });

  it('lets every default be overridden', () => {
    skipNagCheck('the overrides include an older runtime on purpose: AwsSolutions-L1 is expected');
    const stack = testStack();
    new RightSizedFunction(stack, 'Fn', {
      profile: WorkloadProfile.LATENCY_CRITICAL,
      code,
      memorySize: 1024,
      timeout: Duration.seconds(5),
      provisionedConcurrency: 4,
      architecture: lambda.Architecture.X86_64,
      runtime: lambda.Runtime.NODEJS_22_X,
      logRetention: logs.RetentionDays.ONE_WEEK,
      environment: { EXTRA: 'yes' },
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024, Timeout: 5, Architectures: ['x86_64'], Runtime: 'nodejs22.x',
      Environment: { Variables: Match.objectLike({ EXTRA: 'yes' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 4 } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('keeps logs a month by default and scopes logging permissions to its own log group', () => {
    const stack = testStack();
    new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.IO_BOUND, code });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnLogs'), 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^FnLogs'), 'Arn'] }, ':*']] },
        ],
      }]) },
    });
  });

  it('scales provisioned concurrency on utilization and on a schedule', () => {
    const stack = testStack();
    new RightSizedFunction(stack, 'Fn', {
      profile: WorkloadProfile.LATENCY_CRITICAL,
      code,
      provisionedConcurrencyScaling: {
        maxCapacity: 10,
        utilizationTarget: 0.6,
        schedules: [{ name: 'BusinessHours', schedule: appscaling.Schedule.cron({ hour: '8', minute: '0' }), minCapacity: 4 }],
      },
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 10,
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      ScheduledActions: [Match.objectLike({ ScalableTargetAction: { MinCapacity: 4 } })],
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 0.6 }),
    });
  });

  it('grants invoke on the alias, never on the unqualified function', () => {
    const stack = testStack();
    const fn = new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.IO_BOUND, code });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });

    fn.grantInvoke(caller);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^FnLiveAlias') } }] },
    });
  });

  it.each([
    [{ memorySize: 64 }, /'memorySize' must be a whole number of MB from 128 to 10240, got 64/],
    [{ memorySize: 20000 }, /'memorySize' must be a whole number of MB from 128 to 10240, got 20000/],
    [{ memorySize: 128 }, /a LATENCY_CRITICAL function needs at least 256 MB, got 128/],
    [{ provisionedConcurrency: 3, reservedConcurrentExecutions: 2 }, /'provisionedConcurrency' \(3\) is above 'reservedConcurrentExecutions' \(2\)/],
    [{ provisionedConcurrency: -1 }, /'provisionedConcurrency' must be a whole number, 0 or more, got -1/],
    [{ timeout: Duration.minutes(16) }, /'timeout' must be at most 15 minutes/],
    [{ provisionedConcurrencyScaling: { maxCapacity: 1 } }, /maxCapacity' \(1\) is below its minCapacity \(2\)/],
    [{ provisionedConcurrencyScaling: { maxCapacity: 5, utilizationTarget: 0.95 } }, /utilizationTarget' must be between 0.1 and 0.9/],
    [{ provisionedConcurrency: 0, provisionedConcurrencyScaling: { maxCapacity: 5 } }, /needs provisioned concurrency/],
  ])('rejects %o with a clear error', (override, message) => {
    const stack = testStack();

    expect(() => new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.LATENCY_CRITICAL, code, ...override })).toThrow(message);
  });

  it('allows 128 MB for work nobody waits on', () => {
    const stack = testStack();

    expect(() => new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.ASYNC_WORKER, code, memorySize: 128 })).not.toThrow();
  });

  describe('estimateMonthlyCost', () => {
    it('prices an on-demand arm64 function by GB-second and request', () => {
      const stack = testStack();
      const fn = new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.IO_BOUND, code });

      const cost = fn.estimateMonthlyCost({ requestsPerMonth: 1_000_000, averageDurationMs: 1000 });

      // 1,000,000 x 1 s x 0.25 GB = 250,000 GB-s x $0.0000133334 = $3.33335; requests 1 x $0.20.
      expect(cost.durationUsd).toBeCloseTo(3.33335, 5);
      expect(cost.requestsUsd).toBeCloseTo(0.2, 10);
      expect(cost.provisionedConcurrencyUsd).toBe(0);
      expect(cost.totalUsd).toBeCloseTo(3.53335, 5);
    });

    it('prices provisioned concurrency for the whole month (the seed: two 512 MB instances)', () => {
      const stack = testStack();
      const fn = new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.LATENCY_CRITICAL, code });

      const cost = fn.estimateMonthlyCost({ requestsPerMonth: 100_000, averageDurationMs: 100 });

      // Provisioned: 2 x 0.5 GB x 2,592,000 s x $0.0000033334 = $8.6401728.
      expect(cost.provisionedConcurrencyUsd).toBeCloseTo(8.6401728, 6);
      // Duration on provisioned instances: 100,000 x 0.1 s x 0.5 GB = 5,000 GB-s x $0.0000077778 = $0.038889.
      expect(cost.durationUsd).toBeCloseTo(0.038889, 6);
      expect(cost.requestsUsd).toBeCloseTo(0.02, 10);
    });

    it('charges x86_64 about 25 % more than arm64 for the same provisioned instances', () => {
      const arm = RightSizedFunction.estimateCost({ memorySize: 512, architecture: lambda.Architecture.ARM_64, provisionedConcurrency: 1 }, { requestsPerMonth: 0, averageDurationMs: 0 });
      const x86 = RightSizedFunction.estimateCost({ memorySize: 512, architecture: lambda.Architecture.X86_64, provisionedConcurrency: 1 }, { requestsPerMonth: 0, averageDurationMs: 0 });

      // 0.5 GB x 2,592,000 s: x86 $0.0000041667 -> $5.4000432; arm $0.0000033334 -> $4.3200864.
      expect(x86.totalUsd).toBeCloseTo(5.4000432, 6);
      expect(arm.totalUsd).toBeCloseTo(4.3200864, 6);
    });
  });

  it('matches the snapshot', () => {
    const stack = testStack();
    new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.LATENCY_CRITICAL, code });

    expectSnapshot(stack);
  });
});

// Lambda quotas: "The total size of all environment variables doesn't exceed 4 KB"
// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); a function over it fails to deploy.
describeConstruct('RightSizedFunction: Lambda\'s 4 KB environment limit, checked at synth', () => {
  it('refuses at synth an environment over 4 KB, naming the largest variable and that the function\'s environment wrote it', () => {
    skipNagCheck('the stack does not synthesize: that is what the test shows');
    const stack = testStack();
    new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.IO_BOUND, code, environment: { BIG: 'x'.repeat(4200), SMALL: 'y' } });

    expect(() => Template.fromStack(stack)).toThrow(/RightSizedFunction 'Test\/Fn': its environment variables come to about 4,[0-9]{3} bytes, over Lambda's 4 KB \(4,096 bytes\) limit.*The largest: BIG 4,203 bytes, written by the function's 'environment'/);
  });

  it('estimates values that hold tokens at their deployed size (names and ARNs CloudFormation fills in)', () => {
    skipNagCheck('the stack does not synthesize: that is what the test shows');
    const stack = testStack();
    const fn = new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.IO_BOUND, code });
    // 40 ARNs of this function's own role: each a token of a few characters at synth, about 70 bytes deployed.
    for (let i = 0; i < 40; i++) fn.addEnvironment(`ROLE_ARN_${i}`, fn.function.role!.roleArn);

    expect(() => Template.fromStack(stack)).toThrow(/over Lambda's 4 KB.*ROLE_ARN_\d+ \d+ bytes \(estimated: it holds tokens\), written by the construct/);
  });

  it('passes an environment within 4 KB, tokens and all', () => {
    const stack = testStack();
    const fn = new RightSizedFunction(stack, 'Fn', { profile: WorkloadProfile.IO_BOUND, code, environment: { SOME: 'x'.repeat(2000) } });
    fn.addEnvironment('ROLE_ARN', fn.function.role!.roleArn);

    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
