// Executes the synthesized DemoCallWorkflow definition with aws-local-stepfunctions: every Task runs the bundled
// handler (the function's asset in the cloud assembly) in-process against local stand-ins driven by the real clients.
//
// How the callback step runs: aws-local-stepfunctions cannot execute `.waitForTaskToken`. LocalWorkflow invokes the
// wait task's own Lambda (demo-await-call, which stores the token in the call-context table) with a token issued by
// the Step Functions stand-in, then waits until the bundled demo-call-completed handler, given the DISCONNECTED
// contact event, calls SendTaskSuccess on that stand-in through the real SFNClient; or until TimeoutSeconds passes
// (States.Timeout), as Step Functions would.
// Run `npx projen bundle` first: the stack's function assets are the bundles in assets/handlers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContextReader } from '../../../src/runtime/workflow/call-context';
import { deriveInteractionKey } from '../../../src/runtime/workflow/validate';
import type { LocalExecution } from '../../../src/testing';
import { demoRequest, runCall, startWorld, waitFor, type World } from '../../support/demo-call-world';

let world: World;

beforeAll(async () => {
  world = await startWorld({}, { salesforceApiMs: 60, bedrockMs: 60, connectMs: 20 });
});

afterAll(async () => {
  await world?.stop();
});

const state = (execution: LocalExecution, name: string) => execution.states.find((s) => s.name === name);

describe('DemoCallWorkflow, executed offline', () => {
  it('places the call right after validation, beside CreateLead and GenerateScenario, waits for it and updates the lead', async () => {
    const workflow = world.newWorkflow();
    const leadsBefore = world.salesforce.leads().length;
    const callsBefore = world.connect.calls.length;

    const execution = await runCall(world, workflow, demoRequest({ requestId: 'parallel-1' }));

    expect(execution.status, `${execution.error}: ${execution.cause} ${JSON.stringify(execution.states)}`).toBe('SUCCEEDED');
    const lead = state(execution, 'CreateLead')!;
    const scenario = state(execution, 'GenerateScenario')!;
    // Both branches ran and each started before the other finished.
    expect(lead.status).toBe('SUCCEEDED');
    expect(scenario.status).toBe('SUCCEEDED');
    expect(lead.enteredAtMs).toBeLessThan(scenario.exitedAtMs!);
    expect(scenario.enteredAtMs).toBeLessThan(lead.exitedAtMs!);
    // The call is placed without waiting for either: it starts before both end, right after ValidateRequest.
    const invoke = state(execution, 'InvokeOutboundCall')!;
    expect(invoke.enteredAtMs).toBeLessThan(lead.exitedAtMs!);
    expect(invoke.enteredAtMs).toBeLessThan(scenario.exitedAtMs!);
    expect(execution.states.map((s) => s.name).slice(0, 2)).toEqual(['ValidateRequest', 'CallLeadAndScenario']);

    expect(world.salesforce.leads().length).toBe(leadsBefore + 1);
    const stored = world.salesforce.leads().find((l) => l[`Demo_Request_Id__c`] === 'parallel-1')!;
    expect(stored).toMatchObject({ LastName: 'Lovelace', Company: 'Analytical Engines', Phone: '+14155552671' });
    expect(String(stored.Description)).toContain('Demo call COMPLETED');

    const call = world.connect.calls[callsBefore];
    expect(world.connect.calls.length).toBe(callsBefore + 1);
    expect(call.destinationPhoneNumber).toBe('+14155552671');
    const output = execution.output as { interactionKey: string; contactId: string; outcome: { status: string; contactId: string } };
    expect(call.attributes.interactionKey).toBe(output.interactionKey);
    expect(output.outcome).toMatchObject({ status: 'COMPLETED', contactId: call.contactId });
    // The Bedrock prompt names the prospect but never carries the phone number; the scenario is what the bot reads.
    const prompt = world.bedrock.calls.at(-1)!.prompt;
    expect(prompt).toContain('Ada');
    expect(prompt).not.toContain('4155552671');
    const context = await world.store.get(output.interactionKey);
    // The scenario and the Lead id reached the call after it was placed; the output says the scenario was there.
    expect(context).toMatchObject({ scenario: expect.stringContaining('Hello Ada'), scenarioStatus: 'READY', contactId: call.contactId, status: 'COMPLETED', leadId: stored.Id });
    expect((execution.output as { scenario: string }).scenario).toBe('READY');
    expect(JSON.stringify(context)).not.toContain('taskToken');
  });

  it('gives the first in-call turn the scenario of a slow model by waiting for it, or answers without it when its wait is shorter', async () => {
    const workflow = world.newWorkflow();
    const executionName = `slow-model-${Date.now()}`;
    const interactionKey = deriveInteractionKey(`${workflow.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`);
    world.bedrock.setLatency(1_500); // the phone rings, and is answered, before the scenario is written
    const running = runCall(world, workflow, demoRequest({ requestId: 'slow-model-1' }), { executionName, afterPlacedMs: 2_500 });
    // What the fulfillment handler reads on a call turn (FulfillmentHandlerOptions.callContext), as soon as the call is placed.
    const call = await waitFor(() => world.connect.calls.find((c) => c.attributes.interactionKey === interactionKey), running);
    expect(call).toBeDefined();
    // A real callee's first words come seconds after the dial; here, as soon as the call step has opened the call's item.
    while (!(await world.store.getItem(interactionKey))) await new Promise((r) => setTimeout(r, 5));
    const impatient = callContextReader({}, { store: world.store, scenarioWaitMs: 100 });
    const patient = callContextReader({}, { store: world.store, scenarioWaitMs: 5_000 });

    const early = await impatient(interactionKey);
    const waited = await patient(interactionKey);
    const execution = await running;
    world.bedrock.setLatency(60);

    // The turn whose wait ended first answers without a scenario (the bot's intent-level answer), and says why.
    expect(early).toEqual({ scenarioStatus: 'PENDING', status: expect.stringMatching(/^(PENDING|DIALED)$/) });
    // The turn that waited has the scenario the model wrote while the phone rang.
    expect(waited).toMatchObject({ scenario: expect.stringContaining('Hello Ada'), scenarioStatus: 'READY' });
    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
  });

  it('retries InvokeOutboundCall when Connect throttles twice, then places one call', async () => {
    const workflow = world.newWorkflow();
    const callsBefore = world.connect.calls.length;
    world.connect.failNext('TooManyRequestsException', 'TooManyRequestsException');

    const execution = await runCall(world, workflow, demoRequest({ requestId: 'throttled-1' }));

    expect(execution.status, `${execution.error}: ${execution.cause} ${JSON.stringify(execution.states)}`).toBe('SUCCEEDED');
    const invoke = state(execution, 'InvokeOutboundCall')!;
    expect(invoke.attempts).toBe(3);
    expect(invoke.errors).toEqual(['OutboundCallThrottledError', 'OutboundCallThrottledError']);
    expect(world.connect.calls.length).toBe(callsBefore + 1);
  });

  it('makes one lead when CreateLead is retried after Salesforce committed the write but the answer was lost', async () => {
    const workflow = world.newWorkflow();
    const leadsBefore = world.salesforce.leads().length;
    // Three lost answers exhaust the client's own retries (3 attempts), so Step Functions retries the whole step.
    world.salesforce.failNext({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 3, afterWrite: true });

    const execution = await runCall(world, workflow, demoRequest({ requestId: 'retried-lead-1' }));

    expect(execution.status, `${execution.error}: ${execution.cause} ${JSON.stringify(execution.states)}`).toBe('SUCCEEDED');
    expect(state(execution, 'CreateLead')).toMatchObject({ attempts: 2, errors: ['LeadServiceUnavailableError'] });
    expect(world.salesforce.leads().filter((l) => l.Demo_Request_Id__c === 'retried-lead-1')).toHaveLength(1);
    expect(world.salesforce.leads().length).toBe(leadsBefore + 1);
  });

  it('dials once when InvokeOutboundCall is retried after Connect placed the call but the answer was lost', async () => {
    const workflow = world.newWorkflow();
    const callsBefore = world.connect.calls.length;
    const requestsBefore = world.connect.requests.length;
    world.connect.loseNextResponses(1);

    const execution = await runCall(world, workflow, demoRequest({ requestId: 'retried-call-1' }));

    expect(execution.status, `${execution.error}: ${execution.cause} ${JSON.stringify(execution.states)}`).toBe('SUCCEEDED');
    expect(state(execution, 'InvokeOutboundCall')).toMatchObject({ attempts: 2, errors: ['OutboundCallThrottledError'] });
    expect(world.connect.calls.length).toBe(callsBefore + 1);
    const requests = world.connect.requests.slice(requestsBefore);
    expect(requests.map((r) => r.outcome)).toEqual(['placed-response-lost', 'replayed']);
    expect(new Set(requests.map((r) => r.clientToken)).size).toBe(1);
  });

  it('resumes the execution whose contact disconnected, not another one waiting', async () => {
    const workflow = world.newWorkflow();
    const first = runCall(world, workflow, demoRequest({ requestId: 'concurrent-a' }), { hangUp: false, executionName: 'concurrent-a' });
    const second = runCall(world, workflow, demoRequest({ requestId: 'concurrent-b' }), { hangUp: false, executionName: 'concurrent-b' });
    const keyOf = (name: string) => deriveInteractionKey(`${workflow.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`);
    const callOf = (name: string) => world.connect.calls.find((c) => c.attributes.interactionKey === keyOf(name));
    const both = await waitFor(() => (callOf('concurrent-a') && callOf('concurrent-b') ? [callOf('concurrent-a')!, callOf('concurrent-b')!] : undefined), Promise.all([first, second]));
    expect(both).toBeDefined();
    const [callA, callB] = both!;
    // As with a real call, the events come after the step linked each contact to its call.
    for (const name of ['concurrent-a', 'concurrent-b']) {
      while (!(await world.store.getItem(keyOf(name)))?.contactId) await new Promise((r) => setTimeout(r, 5));
    }
    const callCompleted = world.functionId(world.construct.callCompletedFunction);

    await workflow.invokeFunction(callCompleted, world.connect.contactEvent(callB.contactId, { disconnectReason: 'AGENT_DISCONNECT', durationSeconds: 42 }));
    const b = await second;
    await workflow.invokeFunction(callCompleted, world.connect.contactEvent(callA.contactId, { connected: false }));
    const a = await first;

    expect(b.status).toBe('SUCCEEDED');
    expect(a.status).toBe('SUCCEEDED');
    expect((b.output as { outcome: unknown }).outcome).toEqual({ status: 'COMPLETED', contactId: callB.contactId, disconnectReason: 'AGENT_DISCONNECT', durationSeconds: 37 });
    expect((a.output as { outcome: { status: string; contactId: string } }).outcome).toMatchObject({ status: 'NOT_CONNECTED', contactId: callA.contactId });
    expect((a.output as { contactId: string }).contactId).toBe(callA.contactId);
    expect((b.output as { contactId: string }).contactId).toBe(callB.contactId);
  });

  it('records an UNKNOWN outcome when the DISCONNECTED event never arrives (timeout fallback)', async () => {
    const workflow = world.newWorkflow();

    const execution = await runCall(world, workflow, demoRequest({ requestId: 'lost-event-1' }), { hangUp: false });

    expect(execution.status, `${execution.error}: ${execution.cause} ${JSON.stringify(execution.states)}`).toBe('SUCCEEDED');
    expect(state(execution, 'WaitForCallCompletion')).toMatchObject({ status: 'CAUGHT', errors: ['States.Timeout'] });
    expect(state(execution, 'CallOutcomeUnknown')?.status).toBe('SUCCEEDED');
    expect((execution.output as { outcome: unknown }).outcome).toEqual({ status: 'UNKNOWN', reason: 'NO_CALL_EVENT' });
    const lead = world.salesforce.leads().find((l) => l.Demo_Request_Id__c === 'lost-event-1')!;
    expect(String(lead.Description)).toContain('Demo call UNKNOWN');
    // Connect was asked, and said the call is still going (no DisconnectTimestamp): UNKNOWN is what is true.
    expect(world.connect.describeRequests).toContain((execution.output as { contactId: string }).contactId);
  });

  it('asks Connect (DescribeContact) when the event is lost after the call ended, and writes how it ended instead of UNKNOWN', async () => {
    const workflow = world.newWorkflow();
    const executionName = `lost-event-ended-${Date.now()}`;
    const interactionKey = deriveInteractionKey(`${workflow.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`);
    const running = runCall(world, workflow, demoRequest({ requestId: 'lost-event-ended-1' }), { hangUp: false, executionName });
    // The prospect answers (5 s after the dial), talks for 42 s and hangs up; the DISCONNECTED event is lost on the way.
    const call = await waitFor(() => world.connect.calls.find((c) => c.attributes.interactionKey === interactionKey), running);
    world.connect.endContact(call!.contactId, { connected: true, disconnectReason: 'CUSTOMER_DISCONNECT', durationSeconds: 47 });

    const execution = await running;

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    expect(state(execution, 'CallOutcomeUnknown')?.status).toBe('SUCCEEDED');
    expect(world.connect.describeRequests).toContain(call!.contactId);
    const lead = world.salesforce.leads().find((l) => l.Demo_Request_Id__c === 'lost-event-ended-1')!;
    expect(lead.Description).toBe('Demo call COMPLETED (CUSTOMER_DISCONNECT, 42 s, DESCRIBE_CONTACT)');
  });

  it('fails an invalid phone number in ValidateRequest, before any side effect', async () => {
    const workflow = world.newWorkflow();
    const before = { leads: world.salesforce.counters.requests, oauth: world.salesforce.counters.oauthCalls, bedrock: world.bedrock.calls.length, connect: world.connect.requests.length };

    const execution = await workflow.run(demoRequest({ lead: { lastName: 'Doe', company: 'Acme', phone: '+1 555 0100' } }));

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidDemoRequestError');
    expect(execution.cause).toContain("'lead.phone' is not a valid phone number");
    expect(execution.cause).not.toContain('555');
    expect(execution.states.map((s) => s.name)).toEqual(['ValidateRequest']);
    expect({ leads: world.salesforce.counters.requests, oauth: world.salesforce.counters.oauthCalls, bedrock: world.bedrock.calls.length, connect: world.connect.requests.length }).toEqual(before);
  });

  it('marks the lead and keeps the error when Connect rejects the call', async () => {
    const workflow = world.newWorkflow();
    world.connect.failNext('DestinationNotAllowedException');

    const execution = await workflow.run(demoRequest({ requestId: 'rejected-call-1' }));

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('OutboundCallRejectedError');
    expect(execution.cause).toContain('DestinationNotAllowedException');
    // The call's branch failed, and with it the Parallel, whose Catch is the failure path.
    expect(state(execution, 'InvokeOutboundCall')).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(state(execution, 'CallLeadAndScenario')?.status).toBe('CAUGHT');
    expect(state(execution, 'MarkLeadFailed')?.status).toBe('SUCCEEDED');
    const lead = world.salesforce.leads().find((l) => l.Demo_Request_Id__c === 'rejected-call-1')!;
    expect(lead.Description).toBe('Demo call workflow failed: OutboundCallRejectedError');
  });
});
