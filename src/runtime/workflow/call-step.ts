// The InvokeOutboundCall step: paces the call to the account's rate, places it with a ClientToken fixed per
// execution (a retry never dials twice) and opens its call context; once Connect has the call, nothing fails the step.
import { StartOutboundVoiceContactCommand, type ConnectClient } from '@aws-sdk/client-connect';
import type { CallContextStore } from './call-context';
import type { CallPacer } from './call-pacer';
import { OutboundCallRejectedError, OutboundCallThrottledError, dependency } from './errors';
import type { PlacedCall } from './types';

/** Connect errors a later attempt can overcome: rate limits and server faults. */
const CONNECT_RETRYABLE = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException', 'InternalServiceException', 'ServiceQuotaExceededException']);

export interface InvokeOutboundCallStepOptions {
  readonly store: CallContextStore;
  /** Build it with `maxAttempts: 1`: Step Functions retries the step (same ClientToken) with backoff and jitter. */
  readonly connect: ConnectClient;
  readonly instanceId: string;
  readonly contactFlowId: string;
  /** Caller id; one of `sourcePhoneNumber` and `queueId` is needed. */
  readonly sourcePhoneNumber?: string;
  readonly queueId?: string;
  /** Contact attribute that carries the interaction key. @default 'interactionKey' */
  readonly attributeName?: string;
  /** Clock for the critical-path marker. @default Date.now */
  readonly now?: () => number;
  /** Paces calls to the account's rate across Lambdas; without it every step dials at once. @default - no pacing */
  readonly pacer?: CallPacer;
  /**
   * Longest this step waits for its paced slot, ms; a later slot is given back and the step fails with
   * `OutboundCallThrottledError`, which Step Functions retries. Keep it under the function's timeout. @default 20000
   */
  readonly maxPacingWaitMs?: number;
  /** Waits for the slot. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Event of InvokeOutboundCall: the validated request's ids and number. The call is placed while the scenario and the
 * Lead are made; a `scenario` or `leadId` given here (a caller that has them already) is stored with the call.
 */
export interface InvokeOutboundCallEvent {
  readonly interactionKey: string;
  readonly clientToken: string;
  readonly phone: string;
  readonly leadExternalId: string;
  /** @default - written later by GenerateScenario */
  readonly scenario?: string;
  /** @default - written later by CreateLead */
  readonly leadId?: string | null;
}

export function createInvokeOutboundCallStep(options: InvokeOutboundCallStepOptions): (event: InvokeOutboundCallEvent) => Promise<PlacedCall & { placedAt: number; linked: boolean }> {
  if (!options.sourcePhoneNumber && !options.queueId) {
    throw new OutboundCallRejectedError('Configuration', 'set a source phone number or a queue id');
  }
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxWait = options.maxPacingWaitMs ?? 20_000;
  return async (event) => {
    if (options.pacer) {
      const slot = await dependency('DynamoDB (call pacing)', () => options.pacer!.reserve());
      if (slot.waitMs > maxWait) {
        await options.pacer.release().catch(() => undefined);
        throw new OutboundCallThrottledError('Paced', { detail: `the next free call slot is ${Math.round(slot.waitMs / 1000)} s away` });
      }
      if (slot.waitMs > 0) await sleep(slot.waitMs);
    }
    // The call's item is opened while Connect dials: the fulfillment handler reads it only after the callee answers,
    // seconds later, so the write is off the critical path.
    const opened = (event.scenario !== undefined
      ? options.store.putScenario({ interactionKey: event.interactionKey, scenario: event.scenario, leadId: event.leadId ?? undefined, leadExternalId: event.leadExternalId })
      : options.store.putCall({ interactionKey: event.interactionKey, leadExternalId: event.leadExternalId }))
      .then(() => true, () => false);
    const contactId = await dial(options, event);
    const placedAt = now();
    // The call is placed: from here nothing fails the step, or a retry would report a ringing phone as a failed
    // request. A link that cannot be written is written again by the wait step; UpdateLead asks Connect how it ended.
    const [open, link] = await Promise.all([opened, options.store.recordContact(event.interactionKey, contactId).then(() => true, () => false)]);
    return { contactId, interactionKey: event.interactionKey, placedAt, linked: open && link };
  };
}

async function dial(options: InvokeOutboundCallStepOptions, event: InvokeOutboundCallEvent): Promise<string> {
  try {
    const out = await options.connect.send(new StartOutboundVoiceContactCommand({
      InstanceId: options.instanceId,
      ContactFlowId: options.contactFlowId,
      DestinationPhoneNumber: event.phone,
      SourcePhoneNumber: options.sourcePhoneNumber,
      QueueId: options.queueId,
      ClientToken: event.clientToken,
      Attributes: { [options.attributeName ?? 'interactionKey']: event.interactionKey },
    }));
    if (!out.ContactId) throw new OutboundCallRejectedError('NoContactId', 'StartOutboundVoiceContact returned no ContactId');
    return out.ContactId;
  } catch (err) {
    if (err instanceof OutboundCallRejectedError) throw err;
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    const name = e?.name ?? 'Error';
    const status = e?.$metadata?.httpStatusCode;
    // Only the error name travels: Connect's messages can quote the destination number.
    if (CONNECT_RETRYABLE.has(name) || (status !== undefined && status >= 500) || status === undefined) {
      throw new OutboundCallThrottledError(name, { cause: err });
    }
    throw new OutboundCallRejectedError(name, 'check the instance, contact flow, caller id and number', { cause: err });
  }
}
