// The Step Functions stand-in, driven by the real SFNClient: task-token callbacks, StartExecution, and the executions it
// records (ListExecutions: https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html, most
// recent first; GetExecutionHistory: https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html,
// paged with nextToken, ExecutionDoesNotExist for an unknown ARN).
import {
  GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, SendTaskSuccessCommand, SendTaskFailureCommand, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LOCAL_CREDENTIALS, recordedExecution, startStepFunctionsStandIn, type LocalExecution, type StartExecutionRequest, type StepFunctionsStandIn,
} from '../../src/testing';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:demo';

describe('Step Functions stand-in', () => {
  let standIn: StepFunctionsStandIn | undefined;
  afterEach(async () => { await standIn?.stop(); standIn = undefined; });

  function client(endpoint: string): SFNClient {
    return new SFNClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  }

  it('resolves a waiting task with the output of SendTaskSuccess and refuses the token afterwards', async () => {
    standIn = await startStepFunctionsStandIn();
    const task = standIn.createTask();
    const sfn = client(standIn.endpoint);

    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"outcome":"COMPLETED"}' }));

    expect(await task.result).toEqual({ status: 'SUCCEEDED', output: { outcome: 'COMPLETED' } });
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Late' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('answers StartExecution with an execution ARN and hands the request to onStartExecution once per name', async () => {
    const started: StartExecutionRequest[] = [];
    standIn = await startStepFunctionsStandIn({ onStartExecution: (r) => started.push(r) });
    const sfn = client(standIn.endpoint);

    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'lex-abc', input: '{"lead":{"lastName":"Lovelace"}}' }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'lex-abc', input: '{"lead":{"lastName":"Lovelace"}}' }));

    expect(first.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:demo:lex-abc');
    expect(again.executionArn).toBe(first.executionArn);
    expect(started).toEqual([{ stateMachineArn: ARN, name: 'lex-abc', input: { lead: { lastName: 'Lovelace' } }, executionArn: first.executionArn }]);
  });

  it('refuses a reused execution name with other input, as Standard workflows do', async () => {
    standIn = await startStepFunctionsStandIn({ onStartExecution: () => undefined });
    const sfn = client(standIn.endpoint);
    await sfn.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'same', input: '{"a":1}' }));

    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'same', input: '{"a":2}' }))).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('refuses StartExecution when no handler is configured, and malformed input either way', async () => {
    standIn = await startStepFunctionsStandIn();
    await expect(client(standIn.endpoint).send(new StartExecutionCommand({ stateMachineArn: ARN, input: '{}' }))).rejects.toMatchObject({ name: 'UnknownOperationException' });
    await standIn.stop();
    standIn = await startStepFunctionsStandIn({ onStartExecution: () => undefined });

    await expect(client(standIn.endpoint).send(new StartExecutionCommand({ stateMachineArn: ARN, input: 'not json' }))).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
  });

  it('lists recorded executions newest first and pages their histories, whose events carry the states\' names and times', async () => {
    standIn = await startStepFunctionsStandIn();
    const sfn = client(standIn.endpoint);
    const local = (name: string, startedAt: number): LocalExecution => ({
      executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:${name}`, status: 'SUCCEEDED', startedAt, durationMs: 900, states: [
        { name: 'ValidateRequest', type: 'Task', enteredAtMs: 0, exitedAtMs: 20, durationMs: 20, status: 'SUCCEEDED', attempts: 1, errors: [] },
        { name: 'InvokeOutboundCall', type: 'Task', enteredAtMs: 21, exitedAtMs: 850, durationMs: 829, status: 'SUCCEEDED', attempts: 1, errors: [] },
      ],
    });
    standIn.recordExecution(recordedExecution(ARN, local('older', 1_800_000_000_000)));
    standIn.recordExecution(recordedExecution(ARN, local('newer', 1_800_000_060_000), { InvokeOutboundCall: { contactId: 'c-1' } }));

    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ARN, maxResults: 1 }));
    const rest = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ARN, maxResults: 1, nextToken: listed.nextToken }));
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn: listed.executions![0].executionArn, maxResults: 4 }));
    const second = await sfn.send(new GetExecutionHistoryCommand({ executionArn: listed.executions![0].executionArn, maxResults: 4, nextToken: first.nextToken }));
    const withoutData = await sfn.send(new GetExecutionHistoryCommand({ executionArn: listed.executions![0].executionArn, includeExecutionData: false }));

    expect([listed.executions![0].name, rest.executions![0].name, rest.nextToken]).toEqual(['newer', 'older', undefined]);
    expect(listed.executions![0].startDate).toEqual(new Date(1_800_000_060_000));
    const events = [...first.events!, ...second.events!];
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskStateExited', 'TaskStateEntered', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[4]).toMatchObject({ timestamp: new Date(1_800_000_060_850), stateExitedEventDetails: { name: 'InvokeOutboundCall', output: '{"contactId":"c-1"}' } });
    expect(withoutData.events![4].stateExitedEventDetails).toEqual({ name: 'InvokeOutboundCall' });
    await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:none` })))
      .rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });
});
