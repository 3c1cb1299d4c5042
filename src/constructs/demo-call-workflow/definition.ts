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
 * The state machine: Validate, then CreateLead and GenerateScenario in parallel, then the call, then (when it waits)
 * the call-completion wait with its UNKNOWN fallback and UpdateLead; every task retried with jitter and caught into
 * the failure path.
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

  // The scenario does not need the lead id: both calls run at once, so the slower one alone is on the critical path.
  const createLead = invoke('CreateLead', fns.createLead, sfn.TaskInput.fromObject({
    request: sfn.JsonPath.objectAt('$.request'),
    leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
  }), undefined, [RETRYABLE_WORKFLOW_ERRORS.leadServiceUnavailable, dependency]);
  const generateScenario = invoke('GenerateScenario', fns.generateScenario, sfn.TaskInput.fromObject({
    request: sfn.JsonPath.objectAt('$.request'),
  }), undefined, [RETRYABLE_WORKFLOW_ERRORS.scenarioGenerationThrottled]);
  const leadAndScenario = new sfn.Parallel(scope, 'CreateLeadAndScenario', {
    resultSelector: { 'lead.$': '$[0]', 'scenario.$': '$[1]' },
    resultPath: '$.prepared',
  }).branch(createLead).branch(generateScenario);
  onFailure(leadAndScenario);

  const prepare = new sfn.Pass(scope, 'PrepareCallContext', {
    parameters: {
      'request.$': '$.request',
      'leadExternalId.$': '$.leadExternalId',
      'leadId.$': '$.prepared.lead.leadId',
      call: {
        'interactionKey.$': '$.interactionKey',
        'clientToken.$': '$.clientToken',
        'phone.$': '$.request.lead.phone',
        'scenario.$': '$.prepared.scenario.scenario',
        'leadId.$': '$.prepared.lead.leadId',
        'leadExternalId.$': '$.leadExternalId',
      },
    },
  });

  const placeCall = invoke('InvokeOutboundCall', fns.invokeOutboundCall, sfn.TaskInput.fromObject({
    interactionKey: sfn.JsonPath.stringAt('$.call.interactionKey'),
    clientToken: sfn.JsonPath.stringAt('$.call.clientToken'),
    phone: sfn.JsonPath.stringAt('$.call.phone'),
    scenario: sfn.JsonPath.stringAt('$.call.scenario'),
    leadId: sfn.JsonPath.stringAt('$.call.leadId'),
    leadExternalId: sfn.JsonPath.stringAt('$.call.leadExternalId'),
  }), '$.placed', [RETRYABLE_WORKFLOW_ERRORS.outboundCallThrottled, dependency]);
  onFailure(placeCall);

  const chain = validate.next(leadAndScenario).next(prepare).next(placeCall);
  if (!fns.awaitCall) {
    return chain.next(new sfn.Pass(scope, 'CallPlaced', {
      parameters: { 'interactionKey.$': '$.call.interactionKey', 'contactId.$': '$.placed.contactId', 'leadId.$': '$.leadId' },
    }));
  }

  const wait = new tasks.LambdaInvoke(scope, 'WaitForCallCompletion', {
    lambdaFunction: fns.awaitCall.alias,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      taskToken: sfn.JsonPath.taskToken,
      interactionKey: sfn.JsonPath.stringAt('$.call.interactionKey'),
      contactId: sfn.JsonPath.stringAt('$.placed.contactId'),
    }),
    taskTimeout: sfn.Timeout.duration(callTimeout),
    heartbeatTimeout: heartbeat ? sfn.Timeout.duration(heartbeat) : undefined,
    retryOnServiceExceptions: false,
    resultPath: '$.outcome',
  });
  wait.addRetry({ errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(8), jitterStrategy: sfn.JitterType.FULL });
  // A lost DISCONNECTED event (contact events are best-effort) ends here, not in an execution that waits forever.
  const unknown = new sfn.Pass(scope, 'CallOutcomeUnknown', {
    result: sfn.Result.fromObject({ status: 'UNKNOWN', reason: 'NO_CALL_EVENT' }),
    resultPath: '$.outcome',
  });
  wait.addCatch(unknown, { errors: ['States.Timeout', 'States.HeartbeatTimeout'], resultPath: '$.waitError' });
  onFailure(wait);

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
  onFailure(updateLead);
  const done = new sfn.Pass(scope, 'CallDone', {
    parameters: {
      'interactionKey.$': '$.call.interactionKey', 'contactId.$': '$.placed.contactId', 'leadId.$': '$.leadId', 'outcome.$': '$.outcome',
    },
  });
  unknown.next(updateLead);
  return chain.next(wait).next(updateLead).next(done);
}
