// The checks DemoCallWorkflow makes at synth time, before it creates anything: each names the prop and the fix.
import { Duration, Token } from 'aws-cdk-lib';
import { PHONE_COUNTRIES } from '../../shared/phone-countries';
import { DEFAULT_ALLOWED_PHONE_TYPES } from '../../shared/fault-tolerance';
import { checkModelId } from '../cached-lex-fulfillment/value-checks';
import type { DemoCallWorkflowProps } from './props';

/** The number types `allowedPhoneTypes` may name (libphonenumber-js's types). */
const PHONE_TYPES = ['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

/** Where the calls go: the instance, the flow and the caller id, from `callFlow` or from the props that name them. */
export interface CallTarget {
  readonly instanceArn: string;
  readonly contactFlowId: string;
  readonly sourcePhoneNumber?: string;
}

/** Throws on props that would fail at deploy time or at the first call; returns where the calls go. */
export function validateDemoCallWorkflowProps(id: string, props: DemoCallWorkflowProps, express: boolean, wait: boolean, callTimeout: Duration): CallTarget {
  const where = `DemoCallWorkflow '${id}'`;
  checkModelId(where, 'modelId', props.modelId);
  if (props.existingCallContextTable && props.callContextTableProps) {
    throw new Error(`${where}: 'existingCallContextTable' and 'callContextTableProps' conflict. Pass 'existingCallContextTable' `
      + "to use your own table, or 'callContextTableProps' to let the construct create one, not both.");
  }
  if (express && wait) {
    throw new Error(`${where}: 'waitForCallCompletion' cannot be used with an EXPRESS workflow. Express workflows support only the `
      + 'Request/Response integration pattern (no .waitForTaskToken, no .sync) and run at most 5 minutes, shorter than a phone call. '
      + 'Use workflowType STANDARD to wait for the call, or keep EXPRESS with waitForCallCompletion false: the execution then ends once '
      + 'the call is placed and the DISCONNECTED contact event updates the lead.');
  }
  const call = callTarget(where, props);
  if (!call.sourcePhoneNumber && !props.queueId) {
    throw new Error(`${where}: set 'sourcePhoneNumber' (the caller id, E.164) or 'queueId', or give 'callFlow' a caller id `
      + '(LexCallFlow claimPhoneNumber or sourcePhoneNumber): StartOutboundVoiceContact needs one of them.');
  }
  if (props.defaultPhoneCountry !== undefined && !Token.isUnresolved(props.defaultPhoneCountry) && !PHONE_COUNTRIES.includes(props.defaultPhoneCountry)) {
    throw new Error(`${where}: 'defaultPhoneCountry' must be a two-letter ISO 3166-1 country code that the phone validation knows, `
      + `such as 'US' or 'GB' (upper case), got '${props.defaultPhoneCountry}'.`);
  }
  if (props.sourcePhoneNumber && !Token.isUnresolved(props.sourcePhoneNumber) && !/^\+[1-9]\d{6,14}$/.test(props.sourcePhoneNumber)) {
    throw new Error(`${where}: 'sourcePhoneNumber' must be an E.164 number such as +14155550100.`);
  }
  if (!Token.isUnresolved(call.instanceArn) && !/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/.test(call.instanceArn)) {
    throw new Error(`${where}: 'connectInstanceArn' must be an Amazon Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>), got '${call.instanceArn}'.`);
  }
  if (!Token.isUnresolved(call.contactFlowId) && !/^[0-9a-f-]{36}$/.test(call.contactFlowId)) {
    throw new Error(`${where}: 'contactFlowId' must be the flow's id (the GUID after /contact-flow/ in its ARN).`);
  }
  if (!Token.isUnresolved(props.salesforceExternalIdField) && !/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(props.salesforceExternalIdField)) {
    throw new Error(`${where}: 'salesforceExternalIdField' must be a field API name such as Demo_Request_Id__c.`);
  }
  if (!Token.isUnresolved(props.salesforceExternalIdField) && !props.salesforceExternalIdField.endsWith('__c')) {
    throw new Error(`${where}: 'salesforceExternalIdField' must be a custom field (its API name ends in __c, e.g. Demo_Request_Id__c), `
      + `got '${props.salesforceExternalIdField}': Salesforce upserts on a custom field marked External ID, never on a standard field.`);
  }
  if (props.maxTokens !== undefined && !Token.isUnresolved(props.maxTokens) && (!Number.isInteger(props.maxTokens) || props.maxTokens < 1)) {
    throw new Error(`${where}: 'maxTokens' must be a whole number of 1 or more, got ${props.maxTokens}.`);
  }
  if (!callTimeout.isUnresolved() && (callTimeout.toSeconds() < 1 || callTimeout.toDays({ integral: false }) > 365)) {
    throw new Error(`${where}: 'callTimeout' must be between 1 second and 1 year.`);
  }
  if (props.callHeartbeat && !wait) {
    throw new Error(`${where}: 'callHeartbeat' needs an execution that waits for the call (workflowType STANDARD with waitForCallCompletion), `
      + `but this one ${express ? 'is EXPRESS' : "has waitForCallCompletion false"} and would ignore it. Remove 'callHeartbeat', or use STANDARD.`);
  }
  for (const country of props.allowedPhoneCountries ?? []) {
    if (!Token.isUnresolved(country) && !/^[A-Z]{2}$/.test(country)) {
      throw new Error(`${where}: 'allowedPhoneCountries' must hold two-letter ISO 3166-1 country codes such as 'US', got '${country}'.`);
    }
  }
  for (const type of props.allowedPhoneTypes ?? []) {
    if (!Token.isUnresolved(type) && !PHONE_TYPES.includes(type)) {
      throw new Error(`${where}: 'allowedPhoneTypes' holds '${type}', which is not a number type; use ${PHONE_TYPES.join(', ')} `
        + `(the default, ${DEFAULT_ALLOWED_PHONE_TYPES.join(', ')}, is what a demo call needs).`);
    }
  }
  if (props.allowedPhoneTypes && props.allowedPhoneTypes.length === 0) {
    throw new Error(`${where}: 'allowedPhoneTypes' is empty, so no number could be called; leave it out for ${DEFAULT_ALLOWED_PHONE_TYPES.join(', ')}.`);
  }
  if (props.outboundCallsPerSecond !== undefined && !Token.isUnresolved(props.outboundCallsPerSecond) && !(props.outboundCallsPerSecond > 0)) {
    throw new Error(`${where}: 'outboundCallsPerSecond' must be more than 0 (your StartOutboundVoiceContact quota; Connect's default is 2).`);
  }
  if (props.outboundCallBurst !== undefined && !Token.isUnresolved(props.outboundCallBurst) && (!Number.isInteger(props.outboundCallBurst) || props.outboundCallBurst < 1)) {
    throw new Error(`${where}: 'outboundCallBurst' must be a whole number of 1 or more (Connect's default burst is 5).`);
  }
  if (props.callHeartbeat && !props.callHeartbeat.isUnresolved() && !callTimeout.isUnresolved() && props.callHeartbeat.toSeconds() >= callTimeout.toSeconds()) {
    throw new Error(`${where}: 'callHeartbeat' must be shorter than 'callTimeout'.`);
  }
  return call;
}

function callTarget(where: string, props: DemoCallWorkflowProps): CallTarget {
  if (props.callFlow) {
    if (props.connectInstanceArn !== undefined || props.contactFlowId !== undefined) {
      throw new Error(`${where}: set 'callFlow', or 'connectInstanceArn' and 'contactFlowId' for a flow of your own, not both: `
        + 'the flow already names its instance.');
    }
    return {
      instanceArn: props.callFlow.instanceArn,
      contactFlowId: props.callFlow.contactFlowId,
      sourcePhoneNumber: props.sourcePhoneNumber ?? props.callFlow.callerId,
    };
  }
  if (props.connectInstanceArn === undefined || props.contactFlowId === undefined) {
    throw new Error(`${where}: set 'callFlow' (a LexCallFlow, which hands the call to the bot), or both 'connectInstanceArn' and `
      + "'contactFlowId' for a flow of your own.");
  }
  return { instanceArn: props.connectInstanceArn, contactFlowId: props.contactFlowId, sourcePhoneNumber: props.sourcePhoneNumber };
}
