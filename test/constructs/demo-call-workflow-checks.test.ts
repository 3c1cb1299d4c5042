import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { expect, it } from 'vitest';
import { DemoCallWorkflow, type DemoCallWorkflowProps } from '../../src';
import { describeConstruct, skipNagCheck, testStack } from '../helpers/construct-test';

function build(props: Partial<DemoCallWorkflowProps> = {}): DemoCallWorkflow {
  const stack = testStack();
  return new DemoCallWorkflow(stack, 'Workflow', {
    connectInstanceArn: 'arn:aws:connect:us-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555',
    contactFlowId: '66666666-7777-8888-9999-000000000000',
    sourcePhoneNumber: '+14155550100',
    salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Salesforce', 'salesforce/jwt'),
    salesforceExternalIdField: 'Demo_Request_Id__c',
    ...props,
  });
}

describeConstruct('DemoCallWorkflow configuration checks', () => {
  it.each([
    [{ defaultPhoneCountry: 'XX' }, "DemoCallWorkflow 'Workflow': 'defaultPhoneCountry' must be a two-letter ISO 3166-1 country code that the phone validation knows, such as 'US' or 'GB' (upper case), got 'XX'."],
    [{ defaultPhoneCountry: 'us' }, "'defaultPhoneCountry' must be a two-letter ISO 3166-1 country code that the phone validation knows, such as 'US' or 'GB' (upper case), got 'us'."],
    [{ salesforceExternalIdField: 'Email' }, "'salesforceExternalIdField' must be a custom field (its API name ends in __c, e.g. Demo_Request_Id__c), got 'Email': Salesforce upserts on a custom field marked External ID, never on a standard field."],
    [{ workflowType: sfn.StateMachineType.EXPRESS, callHeartbeat: Duration.minutes(5) }, "'callHeartbeat' needs an execution that waits for the call (workflowType STANDARD with waitForCallCompletion), but this one is EXPRESS and would ignore it. Remove 'callHeartbeat', or use STANDARD."],
    [{ waitForCallCompletion: false, callHeartbeat: Duration.minutes(5) }, "but this one has waitForCallCompletion false and would ignore it."],
    // The same check as CachedLexFulfillment.modelId: Bedrock model ids (https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html)
    // and inference profile ids (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html).
    [{ modelId: 'claude-haiku' }, "DemoCallWorkflow 'Workflow': 'modelId' 'claude-haiku' is neither a foundation model id (provider.model) nor an inference profile id"],
    [{ modelId: 'arn:aws:bedrock:us-west-2:123456789012:agent/ABC' }, "'modelId' 'arn:aws:bedrock:us-west-2:123456789012:agent/ABC' is not a Bedrock model or inference profile ARN."],
  ])('refuses %o with the message the user sees', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  it('refuses at synth a scenario prompt that takes its function\'s environment over Lambda\'s 4 KB, naming the prop', () => {
    skipNagCheck('the stack does not synthesize: that is what the test shows');
    const workflow = build({ scenarioPrompt: 'Write the call scenario. '.repeat(180) });

    expect(() => Template.fromStack(Stack.of(workflow))).toThrow(/GenerateScenario.*over Lambda's 4 KB.*FAST_LEX_SCENARIO_PROMPT [0-9,]+ bytes, written by DemoCallWorkflow 'scenarioPrompt'/);
  });

  it('accepts a country the phone validation knows (GB) and declares what its input needs', () => {
    const workflow = build({ defaultPhoneCountry: 'GB' });

    expect(workflow.requiredInputPaths).toEqual(['lead.lastName', 'lead.company', 'lead.phone']);
    expect(workflow.phoneInputPath).toBe('lead.phone');
    expect(workflow.defaultPhoneCountry).toBe('GB');
  });
});
