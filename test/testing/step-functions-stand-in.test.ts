// The Step Functions stand-in, driven by the real SFNClient: task-token callbacks and StartExecution.
import { SFNClient, SendTaskSuccessCommand, SendTaskFailureCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startStepFunctionsStandIn, type StartExecutionRequest, type StepFunctionsStandIn } from '../../src/testing';

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
});
