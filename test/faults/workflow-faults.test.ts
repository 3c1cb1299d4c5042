// Faults under the synthesized DemoCallWorkflow, run offline with its bundled handlers against the stand-ins: a
// Secrets Manager outage on a cold start, a Salesforce outage while the call is placed, a call Connect rejects, a
// scenario Bedrock cannot generate, a DynamoDB error right after the dial, Connect throttling a burst, a call-end
// event after the wait gave up, and a premium-rate number. Each says what is recorded: a Lead, a call, or a spent
// request that can be re-driven; never nothing, never two, and a placed call is never reported as a failed request.
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callContextReader } from '../../src/runtime/workflow/call-context';
import { SpentRequestStore } from '../../src/runtime/workflow/spent-requests';
import { LOCAL_CREDENTIALS, localDynamoDbClient, serviceUnavailable, type LocalExecution } from '../../src/testing';
import { demoRequest, REGION, runCall, startWorld, type World } from '../support/demo-call-world';

let world: World;
// What every execution of this suite recorded, checked by the last test: one record per request, none doubled.
const ledger: Array<{ requestId: string; execution: LocalExecution }> = [];

beforeAll(async () => {
  world = await startWorld({}, { connectMs: 5 });
});
afterAll(async () => {
  await world?.stop();
});

const state = (execution: LocalExecution, name: string) => execution.states.find((s) => s.name === name);
const leadsOf = (requestId: string) => world.salesforce.leads().filter((l) => l.Demo_Request_Id__c === requestId);
const callsTo = (interactionKey: string | undefined) => world.connect.calls.filter((c) => c.attributes.interactionKey === interactionKey);
const spentStore = () => new SpentRequestStore({ tableName: world.tableName, client: localDynamoDbClient(world.dynamo.endpoint, REGION) });

async function run(requestId: string, options: Parameters<typeof runCall>[3] = {}, input = demoRequest({ requestId })): Promise<LocalExecution> {
  const execution = await runCall(world, world.newWorkflow(), input, options);
  ledger.push({ requestId, execution });
  return execution;
}

describe('DemoCallWorkflow under faults', () => {
  it('retries a Secrets Manager outage on a cold start and makes one Lead and one call', async () => {
    const proxy = world.proxies.secretsManager;
    Object.assign(proxy, { failWith: serviceUnavailable('InternalServiceError'), failCount: 4 }); // more than one SDK call's attempts

    const execution = await run('secrets-outage-1');

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    expect(state(execution, 'CreateLead')!.attempts).toBeGreaterThan(1);
    expect(leadsOf('secrets-outage-1')).toHaveLength(1);
    expect(String(leadsOf('secrets-outage-1')[0].Description)).toContain('Demo call COMPLETED');
    expect(callsTo((execution.output as { interactionKey: string }).interactionKey)).toHaveLength(1);
  });

  it('keeps the request when Salesforce stays down while the call is placed: the call goes on, the alarm fires, the execution reports the call', async () => {
    world.salesforce.failNext({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 10_000 });
    // The SpentRequestKept metric goes to stdout as an EMF document (CloudWatch Logs turns it into the alarm's metric).
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => { printed.push(String(chunk)); return write(chunk, ...rest); });

    const execution = await run('salesforce-down-1', { afterPlacedMs: 200 }).finally(() => spy.mockRestore());
    world.salesforce.clearFailures();
    const spent = await spentStore().get('salesforce-down-1');

    // The phone rang and the callee hung up: that is what the execution says, not "failed".
    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    const output = execution.output as { interactionKey: string; leadId: string | null; outcome: { status: string } };
    expect(callsTo(output.interactionKey)).toHaveLength(1);
    expect(output.outcome.status).toBe('COMPLETED');
    expect(output.leadId).toBeNull();
    expect(state(execution, 'CreateLead')).toMatchObject({ status: 'CAUGHT', attempts: 6 }); // 1 + MaxAttempts 5
    expect(state(execution, 'KeepRequest')?.status).toBe('SUCCEEDED');
    expect(printed.filter((l) => l.includes('"SpentRequestKept":1'))).toHaveLength(1);
    expect(leadsOf('salesforce-down-1')).toHaveLength(0);
    // Kept for an operator, marked as called: a re-drive would ring the prospect a second time, so it is refused.
    expect(spent).toMatchObject({ leadExternalId: 'salesforce-down-1', error: 'LeadServiceUnavailableError', callPlaced: true, leadMarked: false });
    expect(spent!.request.lead).toMatchObject({ lastName: 'Lovelace', phone: '+14155552671' });
    const sfn = new SFNClient({ region: REGION, credentials: LOCAL_CREDENTIALS, endpoint: world.moto.endpoint });
    expect(await spentStore().redrive('salesforce-down-1', { sfn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:unused' }))
      .toEqual({ refused: 'its call was placed; pass evenIfCalled to call again' });
    sfn.destroy();
  });

  it('keeps the request where it can be seen and re-driven when the call cannot be placed, then the re-drive makes one Lead and one call', async () => {
    world.connect.failNext('DestinationNotAllowedException');

    const execution = await run('call-rejected-1', { hangUp: false });
    const spent = await spentStore().get('call-rejected-1');

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('OutboundCallRejectedError');
    expect(spent).toMatchObject({ leadExternalId: 'call-rejected-1', error: 'OutboundCallRejectedError', callPlaced: false, redrives: 0 });

    // The operator re-drives it (StartExecution on moto's Step Functions, which records the input), and the workflow
    // runs that input: a new execution with the same request id, so the same Lead is upserted.
    const sfn = new SFNClient({ region: REGION, credentials: LOCAL_CREDENTIALS, endpoint: world.moto.endpoint });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name: `redrive-${Date.now()}`, roleArn: 'arn:aws:iam::123456789012:role/demo',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
    }));
    const { executionArn } = await spentStore().redrive('call-rejected-1', { sfn, stateMachineArn: stateMachineArn! });
    const again = await spentStore().redrive('call-rejected-1', { sfn, stateMachineArn: stateMachineArn! });
    const started = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn }))).input!);
    sfn.destroy();
    const redriven = await run('call-rejected-1', {}, started);

    expect(started).toMatchObject({ requestId: 'call-rejected-1', lead: { lastName: 'Lovelace' } });
    expect(again.executionArn).not.toBe(executionArn); // counted: a second re-drive is a new, deliberate execution

    expect(redriven.status, `${redriven.error}: ${redriven.cause}`).toBe('SUCCEEDED');
    expect(leadsOf('call-rejected-1')).toHaveLength(1);
    expect(callsTo((redriven.output as { interactionKey: string }).interactionKey)).toHaveLength(1);
    expect((await spentStore().get('call-rejected-1'))?.redrives).toBe(2);
  });

  it('places the call with the bot\'s intent-level answers when the scenario cannot be generated, and says so in the output', async () => {
    world.bedrock.failNext('ValidationException');

    const execution = await run('no-scenario-1', { afterPlacedMs: 200 });

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    const output = execution.output as { interactionKey: string; scenario: string; outcome: { status: string } };
    expect(output.scenario).toBe('UNAVAILABLE');
    expect(output.outcome.status).toBe('COMPLETED');
    expect(callsTo(output.interactionKey)).toHaveLength(1);
    expect(state(execution, 'GenerateScenario')).toMatchObject({ status: 'CAUGHT', errors: ['ScenarioGenerationError'] });
    // The call's turns stop waiting: the context says no scenario will come.
    expect(await world.store.get(output.interactionKey)).toMatchObject({ scenario: '', scenarioStatus: 'UNAVAILABLE' });
    expect(await callContextReader({}, { store: world.store, scenarioWaitMs: 60_000 })(output.interactionKey)).toEqual({ scenarioStatus: 'UNAVAILABLE', status: 'COMPLETED' });
    expect(String(leadsOf('no-scenario-1')[0].Description)).toContain('Demo call COMPLETED');
  });

  it('never fails a placed call over a DynamoDB error right after the dial: one call, the wait links it, and its end event is recorded', async () => {
    const proxy = world.proxies.dynamoDb;
    // Three failures: every attempt of the step's DynamoDB client (maxAttempts 3) at the contact link, after the dial.
    Object.assign(proxy, { failWith: serviceUnavailable('InternalServerError'), failCount: 3, affects: (op: string) => op === 'PutItem' });
    const requestsBefore = world.connect.requests.length;

    // The hang-up comes a second after the dial, as a real call's does (an event before the contact is linked finds no call).
    const execution = await run('dynamodb-after-dial-1', { afterPlacedMs: 1_000 });
    proxy.affects = undefined;

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    // One attempt: the step did not fail after the dial (a retry would have reported the ringing phone as a failure).
    expect(state(execution, 'InvokeOutboundCall')!.attempts, JSON.stringify({ calls: proxy.calls, states: execution.states })).toBe(1);
    const output = execution.output as { interactionKey: string; outcome: { status: string } };
    expect(callsTo(output.interactionKey)).toHaveLength(1);
    expect(world.connect.requests.length - requestsBefore).toBe(1);
    expect(output.outcome.status).toBe('COMPLETED');
    expect(String(leadsOf('dynamodb-after-dial-1')[0].Description)).toContain('Demo call COMPLETED');
  });

  it('paces a burst that Connect also throttles: every request gets one call and one Lead, none twice', async () => {
    world.connect.failNext('TooManyRequestsException', 'TooManyRequestsException');
    const ids = Array.from({ length: 7 }, (_, i) => `burst-${i}`);

    const executions = await Promise.all(ids.map((id) => run(id, { afterPlacedMs: 100 })));

    for (const [i, execution] of executions.entries()) {
      expect(execution.status, `${ids[i]}: ${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
      expect(callsTo((execution.output as { interactionKey: string }).interactionKey)).toHaveLength(1);
      expect(leadsOf(ids[i])).toHaveLength(1);
    }
    // The throttled attempts were retried with their ClientToken, not lost.
    expect(executions.reduce((n, e) => n + (state(e, 'InvokeOutboundCall')!.errors.length), 0)).toBeGreaterThanOrEqual(2);
  });

  it('updates the Lead with a call-end event that comes after the wait gave up', async () => {
    const execution = await run('late-event-1', { afterPlacedMs: 3_500 }); // the world's callTimeout is 3 s

    expect(execution.status).toBe('SUCCEEDED');
    expect((execution.output as { outcome: { status: string } }).outcome.status).toBe('UNKNOWN');
    const lead = leadsOf('late-event-1');
    expect(lead).toHaveLength(1);
    expect(String(lead[0].Description)).toContain('Demo call COMPLETED');
  });

  it('refuses a premium-rate number in ValidateRequest: no Lead, no scenario, no call', async () => {
    const before = { sf: world.salesforce.counters.requests, bedrock: world.bedrock.calls.length, connect: world.connect.requests.length };

    const execution = await world.newWorkflow().run(demoRequest({ requestId: 'premium-1', lead: { lastName: 'Doe', company: 'Acme', phone: '+1 900 555 0123' } }));

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidDemoRequestError');
    expect(execution.cause).toContain('premium-rate');
    expect({ sf: world.salesforce.counters.requests, bedrock: world.bedrock.calls.length, connect: world.connect.requests.length }).toEqual(before);
  });

  it('recorded every request of this suite once: a Lead or a spent request, never none and never two', async () => {
    const ids = [...new Set(ledger.map((l) => l.requestId))];
    const records = await Promise.all(ids.map(async (id) => ({ id, leads: leadsOf(id).length, spent: Boolean(await spentStore().get(id)) })));

    expect(records.filter((r) => r.leads === 0 && !r.spent)).toEqual([]);
    expect(records.filter((r) => r.leads > 1)).toEqual([]);
    const keys = ledger.map((l) => (l.execution.output as { interactionKey?: string } | undefined)?.interactionKey).filter(Boolean);
    expect(keys.filter((k) => callsTo(k).length > 1)).toEqual([]);
  });
});
