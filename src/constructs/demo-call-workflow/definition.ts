// The DemoCallWorkflow's state machine definition: the order of the steps, their retries and the failure path.
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RETRYABLE_WORKFLOW_ERRORS } from '../../shared/defaults';
import { RETRYABLE_DEPENDENCY_ERRORS } from '../../shared/fault-tolerance';
import type { RightSizedFunction } from '../right-sized-function';

/** Errors Lambda (the service, not the function) reports; always worth a retry. */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException',
];

/** The functions the workflow's tasks invoke (their live aliases). */
export interface DemoCallFunctions {
  readonly validate: RightSizedFunction;
  readonly createLead: RightSizedFunction;
  readonly generateScenario: RightSizedFunction;
  readonly invokeOutboundCall: RightSizedFunction;
  /** Only when the execution waits for the call. */
  readonly awaitCall?: RightSizedFunction;
  readonly updateLead: RightSizedFunction;
}

/**
 * The state machine: Validate, then the call placed at once beside CreateLead and GenerateScenario (which write the
 * Lead id and the scenario to the call as they come), then (when it waits) the call-completion wait with its UNKNOWN
 * fallback and UpdateLead. Every task retries with jitter; only a failure before the call was placed fails the
 * execution (the failure path keeps the request); after it, a Lead that cannot be written keeps the request and the
 * execution goes on.
 */
export function demoCallDefinition(owner: Construct, fns: DemoCallFunctions, callTimeout: Duration, heartbeat: Duration | undefined): sfn.IChainable {
  // States live in their own scope: their ids are the state names, which repeat the functions' ids.
  const scope = new Construct(owner, 'States');
  const retryable = (task: tasks.LambdaInvoke, errors: string[]): tasks.LambdaInvoke => {
    task.addRetry({ errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(8), jitterStrategy: sfn.JitterType.FULL });
    // A paced call waits up to 20 s in the step for its slot; beyond that the step fails and comes back here, so a
    // burst of 100 requests at 2 calls/s (50 s of calls) needs more attempts than a transient fault does.
    const paced = errors.includes(RETRYABLE_WORKFLOW_ERRORS.outboundCallThrottled);
    const own = errors.filter((e) => e !== RETRYABLE_DEPENDENCY_ERRORS.dependencyUnavailable);
    if (own.length) {
      task.addRetry({ errors: own, interval: Duration.seconds(1), maxAttempts: paced ? 8 : 5, backoffRate: 2, maxDelay: Duration.seconds(paced ? 20 : 10), jitterStrategy: sfn.JitterType.FULL });
    }
    if (errors.includes(RETRYABLE_DEPENDENCY_ERRORS.dependencyUnavailable)) {
      // An outage of Secrets Manager or DynamoDB: about two minutes of retries before the failure path keeps the request.
      task.addRetry({ errors: [RETRYABLE_DEPENDENCY_ERRORS.dependencyUnavailable], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, maxDelay: Duration.seconds(30), jitterStrategy: sfn.JitterType.FULL });
    }
    return task;
  };
  const dependency = RETRYABLE_DEPENDENCY_ERRORS.dependencyUnavailable;
  const invoke = (id: string, fn: RightSizedFunction, payload: sfn.TaskInput, resultPath: string | undefined, errors: string[]) => retryable(new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn.alias,
    payload,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false, // replaced by a retry with jitter, above
    resultPath, // undefined: the result replaces the state's input (the ASL default)
  }), errors);

  const failed = new sfn.Fail(scope, 'DemoCallFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
  const markLeadFailed = invoke('MarkLeadFailed', fns.updateLead, sfn.TaskInput.fromObject({
    mode: 'FAILED',
    leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
    request: sfn.JsonPath.objectAt('$.request'),
    error: sfn.JsonPath.objectAt('$.error'),
    // The whole state where the failure was caught: shows whether the call was placed (then a re-drive would call again).
    state: sfn.JsonPath.entirePayload,
    executionId: sfn.JsonPath.executionId,
  }), sfn.JsonPath.DISCARD, [RETRYABLE_WORKFLOW_ERRORS.leadServiceUnavailable, dependency]);
  markLeadFailed.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.markLeadError' });
  markLeadFailed.next(failed);
  const onFailure = (state: tasks.LambdaInvoke | sfn.Parallel) => state.addCatch(markLeadFailed, { errors: ['States.ALL'], resultPath: '$.error' });

  // No Catch: a bad request fails the execution with InvalidDemoRequestError before any side effect.
  const validate = invoke('ValidateRequest', fns.validate, sfn.TaskInput.fromObject({
    input: sfn.JsonPath.entirePayload,
    executionId: sfn.JsonPath.executionId,
    executionName: sfn.JsonPath.executionName,
  }), undefined, []);

  // The call needs neither the Lead nor (until the callee first speaks) the scenario: it is placed at once, beside
  // them, so the critical path is Validate + pacing + StartOutboundVoiceContact. A call that cannot be placed fails
  // this branch and with it the Parallel, into the failure path (the request kept, as before).
  const placeCall = invoke('InvokeOutboundCall', fns.invokeOutboundCall, sfn.TaskInput.fromObject({
    interactionKey: sfn.JsonPath.stringAt('$.interactionKey'),
    clientToken: sfn.JsonPath.stringAt('$.clientToken'),
    phone: sfn.JsonPath.stringAt('$.request.lead.phone'),
    leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
  }), undefined, [RETRYABLE_WORKFLOW_ERRORS.outboundCallThrottled, dependency]);

  // The Lead and the scenario catch their own failures: once the phone may be ringing, neither may fail the execution.
  const createLead = invoke('CreateLead', fns.createLead, sfn.TaskInput.fromObject({
    request: sfn.JsonPath.objectAt('$.request'),
    leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
    interactionKey: sfn.JsonPath.stringAt('$.interactionKey'),
  }), undefined, [RETRYABLE_WORKFLOW_ERRORS.leadServiceUnavailable, dependency]);
  // The result has CreateLead's shape plus the error. Parameters cannot hold a JSON null (CDK drops it), a Result can.
  const leadNotCreated = new sfn.Pass(scope, 'LeadNotCreated', { result: sfn.Result.fromObject({ leadId: null }), resultPath: '$.noLead' });
  leadNotCreated.next(new sfn.Pass(scope, 'LeadFailed', {
    parameters: { 'leadId.$': '$.noLead.leadId', created: false, 'error.$': '$.leadError' },
  }));
  createLead.addCatch(leadNotCreated, { errors: ['States.ALL'], resultPath: '$.leadError' });

  const generateScenario = invoke('GenerateScenario', fns.generateScenario, sfn.TaskInput.fromObject({
    request: sfn.JsonPath.objectAt('$.request'),
    interactionKey: sfn.JsonPath.stringAt('$.interactionKey'),
  }), undefined, [RETRYABLE_WORKFLOW_ERRORS.scenarioGenerationThrottled, dependency]);
  const noScenario = new sfn.Pass(scope, 'ScenarioUnavailable', {
    parameters: { scenario: null, status: 'UNAVAILABLE', 'error.$': '$.error' },
  });
  // The call's turns stop waiting for a scenario that will not come; best effort (they wait a bounded time anyway).
  const markNoScenario = invoke('MarkScenarioUnavailable', fns.generateScenario, sfn.TaskInput.fromObject({
    mode: 'UNAVAILABLE',
    interactionKey: sfn.JsonPath.stringAt('$.interactionKey'),
  }), sfn.JsonPath.DISCARD, [dependency]);
  markNoScenario.addCatch(noScenario, { errors: ['States.ALL'], resultPath: sfn.JsonPath.DISCARD });
  markNoScenario.next(noScenario);
  generateScenario.addCatch(markNoScenario, { errors: ['States.ALL'], resultPath: '$.error' });
  const scenarioReady = new sfn.Pass(scope, 'ScenarioReady', {
    parameters: { 'scenario.$': '$.scenario', status: 'READY' },
  });

  const callLeadAndScenario = new sfn.Parallel(scope, 'CallLeadAndScenario', {
    resultSelector: { 'placed.$': '$[0]', 'lead.$': '$[1]', 'scenario.$': '$[2]' },
    resultPath: '$.prepared',
  }).branch(placeCall).branch(createLead).branch(generateScenario.next(scenarioReady));
  onFailure(callLeadAndScenario);

  const join = new sfn.Pass(scope, 'JoinCall', {
    parameters: {
      'request.$': '$.request',
      'leadExternalId.$': '$.leadExternalId',
      'leadId.$': '$.prepared.lead.leadId',
      'placed.$': '$.prepared.placed',
      'scenario.$': '$.prepared.scenario.status',
      'lead.$': '$.prepared.lead',
      call: { 'interactionKey.$': '$.interactionKey' },
    },
  });

  // A Lead that could not be created while the call was placed: the request is kept (the alarm fires), the call goes on.
  const keepRequest = invoke('KeepRequest', fns.updateLead, sfn.TaskInput.fromObject({
    mode: 'KEEP',
    leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
    request: sfn.JsonPath.objectAt('$.request'),
    error: sfn.JsonPath.objectAt('$.lead.error'),
    executionId: sfn.JsonPath.executionId,
  }), sfn.JsonPath.DISCARD, [dependency]);
  const keptOrNot = new sfn.Pass(scope, 'LeadRequestHandled');
  keepRequest.addCatch(keptOrNot, { errors: ['States.ALL'], resultPath: '$.keepError' });
  keepRequest.next(keptOrNot);
  const leadCreated = new sfn.Choice(scope, 'WasLeadCreated')
    .when(sfn.Condition.isPresent('$.lead.error'), keepRequest)
    .otherwise(keptOrNot);

  const chain = validate.next(callLeadAndScenario).next(join).next(leadCreated);
  const afterLead = keptOrNot;
  if (!fns.awaitCall) {
    afterLead.next(new sfn.Pass(scope, 'CallPlaced', {
      parameters: {
        'interactionKey.$': '$.call.interactionKey', 'contactId.$': '$.placed.contactId', 'leadId.$': '$.leadId', 'scenario.$': '$.scenario',
      },
    }));
    return chain;
  }

  const wait = new tasks.LambdaInvoke(scope, 'WaitForCallCompletion', {
    lambdaFunction: fns.awaitCall.alias,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      taskToken: sfn.JsonPath.taskToken,
      interactionKey: sfn.JsonPath.stringAt('$.call.interactionKey'),
      contactId: sfn.JsonPath.stringAt('$.placed.contactId'),
      linked: sfn.JsonPath.objectAt('$.placed.linked'),
    }),
    taskTimeout: sfn.Timeout.duration(callTimeout),
    heartbeatTimeout: heartbeat ? sfn.Timeout.duration(heartbeat) : undefined,
    retryOnServiceExceptions: false,
    resultPath: '$.outcome',
  });
  wait.addRetry({ errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(8), jitterStrategy: sfn.JitterType.FULL });
  wait.addRetry({ errors: [dependency], interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(8), jitterStrategy: sfn.JitterType.FULL });
  // A lost DISCONNECTED event (contact events are best-effort) ends here, not in an execution that waits forever; so
  // does a wait that could not even start (the table down): the call was placed, and UpdateLead asks Connect.
  const unknown = new sfn.Pass(scope, 'CallOutcomeUnknown', {
    result: sfn.Result.fromObject({ status: 'UNKNOWN', reason: 'NO_CALL_EVENT' }),
    resultPath: '$.outcome',
  });
  wait.addCatch(unknown, { errors: ['States.ALL'], resultPath: '$.waitError' });

  // After the call: off the critical path (start -> call placed).
  const updateLead = invoke('UpdateLead', fns.updateLead, sfn.TaskInput.fromObject({
    mode: 'OUTCOME',
    leadId: sfn.JsonPath.stringAt('$.leadId'),
    leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
    outcome: sfn.JsonPath.objectAt('$.outcome'),
    interactionKey: sfn.JsonPath.stringAt('$.call.interactionKey'),
    // Without an event, UpdateLead asks Connect (DescribeContact) how this contact ended.
    contactId: sfn.JsonPath.stringAt('$.placed.contactId'),
  }), '$.leadUpdate', [RETRYABLE_WORKFLOW_ERRORS.leadServiceUnavailable, dependency]);
  const done = new sfn.Pass(scope, 'CallDone', {
    parameters: {
      'interactionKey.$': '$.call.interactionKey', 'contactId.$': '$.placed.contactId', 'leadId.$': '$.leadId', 'outcome.$': '$.outcome',
      'scenario.$': '$.scenario',
    },
  });
  // The call happened: an outcome that cannot reach the Lead keeps the request (the alarm fires), and the execution
  // reports the call, not a failed request.
  const keepOutcome = invoke('KeepUnwrittenOutcome', fns.updateLead, sfn.TaskInput.fromObject({
    mode: 'KEEP',
    leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
    request: sfn.JsonPath.objectAt('$.request'),
    error: sfn.JsonPath.objectAt('$.leadUpdateError'),
    executionId: sfn.JsonPath.executionId,
  }), sfn.JsonPath.DISCARD, [dependency]);
  keepOutcome.addCatch(done, { errors: ['States.ALL'], resultPath: '$.keepError' });
  keepOutcome.next(done);
  updateLead.addCatch(keepOutcome, { errors: ['States.ALL'], resultPath: '$.leadUpdateError' });
  unknown.next(updateLead);
  afterLead.next(wait).next(updateLead).next(done);
  return chain;
}
