import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { expect, it } from 'vitest';
import { DemoCallWorkflow, LexCallFlow, PhoneNumberType, type DemoCallWorkflowProps } from '../../src';
import { describeConstruct, expectSnapshot, testStack } from '../helpers/construct-test';

const INSTANCE_ARN = 'arn:aws:connect:us-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555';

function build(props: Partial<DemoCallWorkflowProps> = {}): { stack: Stack; workflow: DemoCallWorkflow; template: Template } {
  const stack = testStack();
  const workflow = new DemoCallWorkflow(stack, 'Workflow', {
    connectInstanceArn: INSTANCE_ARN,
    contactFlowId: '66666666-7777-8888-9999-000000000000',
    sourcePhoneNumber: '+14155550100',
    salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Salesforce', 'salesforce/jwt'),
    salesforceExternalIdField: 'Demo_Request_Id__c',
    ...props,
  });
  return { stack, workflow, template: Template.fromStack(stack) };
}

function definitionOf(template: Template): Record<string, any> {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  // Tokens sit inside JSON strings: write them as TOKEN[LogicalId] (Ref) or TOKEN[LogicalId.Attr] (GetAtt).
  return JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : `TOKEN[${p.Ref ?? p['Fn::GetAtt']?.join('.') ?? '?'}]`)).join(''));
}

function statementsOf(template: Template, policyIdPrefix: string): any[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const id = Object.keys(policies).find((k) => k.startsWith(policyIdPrefix));
  expect(id, `policy ${policyIdPrefix}`).toBeDefined();
  return policies[id!].Properties.PolicyDocument.Statement;
}

describeConstruct('DemoCallWorkflow', () => {
  it('builds a Standard workflow: validate, then the call beside the lead and the scenario, wait for the call, update the lead', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: Match.anyValue() },
    });
    const def = definitionOf(template);
    expect(def.StartAt).toBe('ValidateRequest');
    expect(def.States.ValidateRequest.Next).toBe('CallLeadAndScenario');
    expect(def.States.ValidateRequest.Catch).toBeUndefined();
    // The call is placed at once: its branch needs nothing but the validated request.
    const parallel = def.States.CallLeadAndScenario;
    expect(parallel.Type).toBe('Parallel');
    expect(parallel.Branches.map((b: any) => b.StartAt)).toEqual(['InvokeOutboundCall', 'CreateLead', 'GenerateScenario']);
    expect(Object.keys(parallel.Branches[0].States)).toEqual(['InvokeOutboundCall']);
    expect(parallel.Branches[0].States.InvokeOutboundCall.Parameters).toEqual({
      'interactionKey.$': '$.interactionKey', 'clientToken.$': '$.clientToken', 'phone.$': '$.request.lead.phone', 'leadExternalId.$': '$.leadExternalId',
    });
    // The Lead and the scenario catch their own failures: once the call may be ringing, neither fails the execution.
    expect(parallel.Branches[1].States.CreateLead.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.leadError', Next: 'LeadNotCreated' }]);
    expect(parallel.Branches[2].States.GenerateScenario.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkScenarioUnavailable' }]);
    expect(parallel.Branches[2].States.GenerateScenario.Parameters['interactionKey.$']).toBe('$.interactionKey');
    expect(def.States.JoinCall.Next).toBe('WasLeadCreated');
    expect(def.States['WasLeadCreated'].Choices[0]).toEqual({ Variable: '$.lead.error', IsPresent: true, Next: 'KeepRequest' });
    expect(def.States.KeepRequest.Parameters.mode).toBe('KEEP');
    expect(def.States.LeadRequestHandled.Next).toBe('WaitForCallCompletion');
    const wait = def.States.WaitForCallCompletion;
    expect(wait.Resource).toContain('lambda:invoke.waitForTaskToken');
    expect(wait.TimeoutSeconds).toBe(1200); // 20 minutes: a demo call and its ringing, not an hour of PENDING
    expect(wait.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    // Any failure of the wait ends in UNKNOWN, and UpdateLead asks Connect: the call was placed.
    expect(wait.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.waitError', Next: 'CallOutcomeUnknown' }]);
    expect(def.States.CallOutcomeUnknown.Next).toBe('UpdateLead');
    expect(def.States.UpdateLead.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.leadUpdateError', Next: 'KeepUnwrittenOutcome' }]);
    expect(def.States.KeepUnwrittenOutcome.Next).toBe('CallDone');
    expect(def.States.DemoCallFailed).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('names every state with 0-9, A-Z, a-z, - and _ only, as CloudWatch Logs needs for the execution log', () => {
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StateExitedEventDetails.html: a state name must
    // not contain white space, brackets, ? or *, and "to enable logging with CloudWatch Logs" only these characters.
    const names: string[] = [];
    const visit = (states: Record<string, any>) => {
      for (const [name, state] of Object.entries(states)) {
        names.push(name);
        for (const branch of state.Branches ?? []) visit(branch.States);
      }
    };
    visit(definitionOf(build().template).States);

    expect(names.filter((n) => !/^[0-9A-Za-z_-]{1,80}$/.test(n))).toEqual([]);
    expect(names).toContain('WasLeadCreated');
  });

  it('invokes every function through its live alias, never $LATEST', () => {
    const { template } = build();
    const def = JSON.stringify(definitionOf(template));
    const aliases = Object.keys(template.findResources('AWS::Lambda::Alias'));
    expect(aliases).toHaveLength(7);
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    for (const fn of functions) expect(def).not.toContain(`TOKEN[${fn}`);
    for (const alias of aliases.filter((a) => !a.includes('CallCompleted'))) expect(def).toContain(`TOKEN[${alias}]`);
  });

  it('retries every task with backoff and full jitter, including Connect throttling; only a call not placed reaches the failure path', () => {
    const def = definitionOf(build().template);
    const branch = (name: string) => def.States.CallLeadAndScenario.Branches.find((b: any) => b.States[name]).States[name];
    const tasks = ['InvokeOutboundCall', 'CreateLead', 'GenerateScenario', 'MarkScenarioUnavailable'].map(branch)
      .concat(['ValidateRequest', 'KeepRequest', 'WaitForCallCompletion', 'UpdateLead', 'KeepUnwrittenOutcome', 'MarkLeadFailed'].map((n) => def.States[n]));
    for (const task of tasks) {
      expect(task.Retry.length).toBeGreaterThan(0);
      for (const r of task.Retry) expect(r).toMatchObject({ JitterStrategy: 'FULL', BackoffRate: 2, MaxDelaySeconds: expect.any(Number) });
      expect(task.Retry[0].ErrorEquals).toContain('Lambda.ServiceException');
    }
    expect(tasks[0].Retry[1].ErrorEquals).toEqual(['OutboundCallThrottledError']);
    expect(tasks[1].Retry[1].ErrorEquals).toEqual(['LeadServiceUnavailableError']);
    expect(tasks[2].Retry[1].ErrorEquals).toEqual(['ScenarioGenerationThrottledError']);
    expect(def.States.CallLeadAndScenario.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkLeadFailed' }]);
    // After the Parallel nothing leads to the failure path: the call was placed.
    const toFailure = Object.entries(def.States).filter(([, st]: [string, any]) => (st.Catch ?? []).some((c: any) => c.Next === 'MarkLeadFailed')).map(([n]) => n);
    expect(toFailure).toEqual(['CallLeadAndScenario']);
  });

  it('rejects EXPRESS with a callback wait at synth time, explaining why', () => {
    expect(() => build({ workflowType: sfn.StateMachineType.EXPRESS, waitForCallCompletion: true }))
      .toThrow(/EXPRESS workflow.*only the Request\/Response integration pattern \(no \.waitForTaskToken, no \.sync\).*at most 5 minutes/);
  });

  it('runs EXPRESS as a hot path that ends once the call is placed, the contact event updating the lead', () => {
    const { template, workflow } = build({ workflowType: sfn.StateMachineType.EXPRESS });
    expect(workflow.waitsForCallCompletion).toBe(false);
    expect(workflow.awaitCallFunction).toBeUndefined();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS', LoggingConfiguration: Match.objectLike({ Level: 'ALL' }) });
    const def = definitionOf(template);
    expect(def.States.CallLeadAndScenario.Branches[0].States.InvokeOutboundCall.End).toBe(true);
    expect(def.States.LeadRequestHandled.Next).toBe('CallPlaced');
    expect(def.States.WaitForCallCompletion).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FAST_LEX_WORKFLOW_MODE: 'EXPRESS', FAST_LEX_RUNTIME: '1' }) },
    });
  });

  it('routes DISCONNECTED contact events of this instance to the call-completed alias, with a dead-letter queue', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.connect'],
        'detail-type': ['Amazon Connect Contact Event'],
        'detail': { eventType: ['DISCONNECTED'], instanceArn: [INSTANCE_ARN] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('CallCompletedLiveAlias') }, DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  it('adds the other contact events as heartbeats when a heartbeat is set', () => {
    const { template } = build({ callHeartbeat: Duration.minutes(10), callTimeout: Duration.hours(2) });
    expect(definitionOf(template).States.WaitForCallCompletion).toMatchObject({ HeartbeatSeconds: 600, TimeoutSeconds: 7200 });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ eventType: Match.arrayWith(['DISCONNECTED', 'CONNECTED_TO_SYSTEM']) }) }),
    });
  });

  it('grants least privilege: Connect contacts of the instance, the state machine\'s task callbacks, the model, item actions', () => {
    const { template } = build();
    const call = statementsOf(template, 'WorkflowInvokeOutboundCallRole');
    expect(call).toContainEqual({ Action: 'connect:StartOutboundVoiceContact', Effect: 'Allow', Resource: `${INSTANCE_ARN}/contact/*` });
    expect(call).toContainEqual(expect.objectContaining({ Action: ['dynamodb:UpdateItem', 'dynamodb:PutItem'] }));
    // UpdateLead asks Connect how a call ended (DescribeContact) on this instance's contacts only, and nothing else of Connect.
    const update = statementsOf(template, 'WorkflowUpdateLeadRole');
    expect(update.filter((st) => JSON.stringify(st.Action).includes('connect:'))).toEqual([
      { Action: 'connect:DescribeContact', Effect: 'Allow', Resource: `${INSTANCE_ARN}/contact/*` },
    ]);
    expect(definitionOf(template).States.UpdateLead.Parameters).toMatchObject({ 'contactId.$': '$.placed.contactId' });
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
    const name = machine.Properties.StateMachineName as string;
    expect(name).toMatch(/^Test-Workflow-[0-9A-F]{8}$/);
    // The ARN is built from the fixed name (no Ref): the roles can name the state machine that names their aliases.
    const smArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:us-west-2:123456789012:stateMachine:${name}`]] };
    for (const role of ['WorkflowAwaitCallRole', 'WorkflowCallCompletedRole']) {
      const statements = statementsOf(template, role);
      const callbacks = statements.find((s) => JSON.stringify(s.Action).includes('states:SendTaskSuccess'));
      expect(callbacks.Resource).toEqual(smArn);
      expect(JSON.stringify(statements)).not.toContain('dynamodb:Scan');
    }
    const bedrock = statementsOf(template, 'WorkflowGenerateScenarioRole').filter((s) => s.Action === 'bedrock:InvokeModel');
    expect(bedrock).toHaveLength(2);
    expect(JSON.stringify(bedrock[0].Resource)).toContain('inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(JSON.stringify(bedrock[1].Resource)).toContain(':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(bedrock[1].Condition.StringEquals['bedrock:InferenceProfileArn']).toEqual(bedrock[0].Resource);
    expect(JSON.stringify(statementsOf(template, 'WorkflowCreateLeadRole'))).toContain('secretsmanager:GetSecretValue');
    expect(JSON.stringify(statementsOf(template, 'WorkflowValidateRequestRole'))).not.toMatch(/secretsmanager|dynamodb|connect:|bedrock/);
  });

  it('grants a plain foundation model id only in the stack\'s Region', () => {
    const { template } = build({ modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0' });
    const bedrock = statementsOf(template, 'WorkflowGenerateScenarioRole').filter((s) => s.Action === 'bedrock:InvokeModel');
    expect(bedrock).toHaveLength(1);
    expect(JSON.stringify(bedrock[0].Resource)).toContain(':bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('grants start and call-context reads to the conversation\'s function', () => {
    const stack = testStack();
    const workflow = new DemoCallWorkflow(stack, 'Workflow', {
      connectInstanceArn: INSTANCE_ARN, contactFlowId: '66666666-7777-8888-9999-000000000000', queueId: 'queue-1',
      salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Salesforce', 'salesforce/jwt'),
      salesforceExternalIdField: 'Demo_Request_Id__c', workflowType: sfn.StateMachineType.EXPRESS,
    });
    const role = new iam.Role(stack, 'Fulfillment', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    workflow.grantStartExecution(role);
    workflow.grantReadCallContext(role);
    const statements = statementsOf(Template.fromStack(stack), 'FulfillmentDefaultPolicy');
    expect(statements.map((s) => s.Action)).toEqual(expect.arrayContaining(['states:StartExecution', 'states:StartSyncExecution', 'dynamodb:GetItem']));
  });

  it('creates the call-context table with point-in-time recovery, encryption and TTL, or uses the one given', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ FAST_LEX_CALL_CONTEXT_TTL_SECONDS: '87600' }) } }, 6);
  });

  it('tells the Validate step which countries and number types may be called, and paces calls to Connect\'s rate', () => {
    const { template } = build({ allowedPhoneCountries: ['US', 'CA'], defaultPhoneCountry: 'US', outboundCallsPerSecond: 5, outboundCallBurst: 10 });

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FAST_LEX_PHONE_RULES: '{"allowedCountries":["US","CA"],"defaultCountry":"US"}', FAST_LEX_DEFAULT_PHONE_COUNTRY: 'US' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FAST_LEX_CALL_RATE_PER_SECOND: '5', FAST_LEX_CALL_BURST: '10' }) },
    });
    const def = definitionOf(template);
    expect(def.States.CallLeadAndScenario.Branches[0].States.InvokeOutboundCall.Retry.map((r: any) => r.ErrorEquals)).toEqual(expect.arrayContaining([['OutboundCallThrottledError'], ['DependencyUnavailableError']]));
    expect(def.States.CallLeadAndScenario.Branches[1].States.CreateLead.Retry.map((r: any) => r.ErrorEquals)).toEqual(expect.arrayContaining([['DependencyUnavailableError']]));
    expect(def.States.MarkLeadFailed.Parameters).toMatchObject({ 'state.$': '$', 'executionId.$': '$$.Execution.Id' });
  });

  it('refuses a country that is not a code, an unknown number type, and a pace that could never call', () => {
    expect(() => build({ allowedPhoneCountries: ['USA'] })).toThrow(/'allowedPhoneCountries' must hold two-letter ISO 3166-1 country codes such as 'US', got 'USA'/);
    expect(() => build({ allowedPhoneTypes: ['CELL'] })).toThrow(/'allowedPhoneTypes' holds 'CELL', which is not a number type; use MOBILE, FIXED_LINE/);
    expect(() => build({ allowedPhoneTypes: [] })).toThrow(/'allowedPhoneTypes' is empty/);
    expect(() => build({ outboundCallsPerSecond: 0 })).toThrow(/'outboundCallsPerSecond' must be more than 0/);
    expect(() => build({ outboundCallBurst: 1.5 })).toThrow(/'outboundCallBurst' must be a whole number/);
  });

  it('places calls through a LexCallFlow: its instance, its flow id and its claimed caller id', () => {
    const stack = testStack();
    const callFlow = new LexCallFlow(stack, 'CallFlow', {
      instanceArn: INSTANCE_ARN,
      botAlias: LexCallFlow.botAliasFromArn(stack, 'Alias', 'arn:aws:lex:us-west-2:123456789012:bot-alias/BOTID12345/ALIASID123'),
      claimPhoneNumber: { countryCode: 'US', type: PhoneNumberType.DID },
    });
    new DemoCallWorkflow(stack, 'Workflow', {
      callFlow,
      salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Salesforce', 'salesforce/jwt'),
      salesforceExternalIdField: 'Demo_Request_Id__c',
    });

    const template = Template.fromStack(stack);
    const flowId = stack.getLogicalId(callFlow.contactFlow);
    const numberId = Object.keys(template.findResources('AWS::Connect::PhoneNumber'))[0];
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({
        FAST_LEX_CONNECT_INSTANCE_ID: '11111111-2222-3333-4444-555555555555',
        FAST_LEX_CONTACT_FLOW_ID: { 'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [flowId, 'ContactFlowArn'] }] }] },
        FAST_LEX_SOURCE_PHONE_NUMBER: { 'Fn::GetAtt': [numberId, 'Address'] },
      }) },
    });
  });

  it('refuses a callFlow together with a flow of your own, and neither', () => {
    const stack = testStack();
    const callFlow = new LexCallFlow(stack, 'CallFlow', {
      instanceArn: INSTANCE_ARN,
      botAlias: LexCallFlow.botAliasFromArn(stack, 'Alias', 'arn:aws:lex:us-west-2:123456789012:bot-alias/BOTID12345/ALIASID123'),
      sourcePhoneNumber: '+14155550100',
    });
    expect(() => build({ callFlow })).toThrow(/set 'callFlow', or 'connectInstanceArn' and 'contactFlowId' for a flow of your own, not both/);
    expect(() => build({ connectInstanceArn: undefined })).toThrow(/set 'callFlow' \(a LexCallFlow, which hands the call to the bot\), or both 'connectInstanceArn' and 'contactFlowId'/);
  });

  it('validates its props with errors that name the prop', () => {
    expect(() => build({ sourcePhoneNumber: undefined })).toThrow(/'sourcePhoneNumber'.*or 'queueId'/);
    expect(() => build({ sourcePhoneNumber: '555-0100' })).toThrow(/'sourcePhoneNumber' must be an E.164 number/);
    expect(() => build({ connectInstanceArn: 'arn:aws:connect:us-west-2:123456789012:instance' })).toThrow(/'connectInstanceArn'/);
    expect(() => build({ contactFlowId: 'flow' })).toThrow(/'contactFlowId'/);
    expect(() => build({ salesforceExternalIdField: 'bad field' })).toThrow(/'salesforceExternalIdField'/);
    expect(() => build({ callHeartbeat: Duration.hours(2) })).toThrow(/'callHeartbeat' must be shorter than 'callTimeout'/);
    expect(() => build({ defaultPhoneCountry: 'USA' })).toThrow(/'defaultPhoneCountry' must be a two-letter ISO 3166-1 country code/);
  });

  it('passes the default phone country to the Validate step only', () => {
    const { stack } = build({ defaultPhoneCountry: 'US' });

    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FAST_LEX_DEFAULT_PHONE_COUNTRY: 'US' }) },
    }, 1);
  });

  it('matches the snapshot', () => {
    expectSnapshot(build().stack);
  });
});
