// Asks Amazon Connect how a call ended (DescribeContact) when the workflow's wait ended without its contact event.
import { DescribeContactCommand, type ConnectClient } from '@aws-sdk/client-connect';
import type { CallOutcome } from './types';

/** Looks up the outcome of a placed call; undefined when Connect cannot say (not ended, not found, not reachable). */
export type ContactOutcomeReader = (contactId: string) => Promise<CallOutcome | undefined>;

export interface ContactOutcomeReaderOptions {
  readonly connect: ConnectClient;
  readonly instanceId: string;
  /** Longest one DescribeContact may take, ms, before the Lead keeps UNKNOWN. @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * Reads the contact with DescribeContact (`GET /contacts/{InstanceId}/{ContactId}`). An ended contact
 * (`DisconnectTimestamp` set) gives COMPLETED when it reached the system (`ConnectedToSystemTimestamp`), else
 * NOT_CONNECTED, with Connect's `DisconnectReason` and the duration. A contact still in progress, one Connect does not
 * know (ResourceNotFoundException) or an error gives undefined: the Lead then says UNKNOWN, which is true, and a late
 * contact event still corrects it.
 */
export function contactOutcomeReader(options: ContactOutcomeReaderOptions): ContactOutcomeReader {
  return async (contactId) => {
    try {
      const out = await options.connect.send(new DescribeContactCommand({ InstanceId: options.instanceId, ContactId: contactId }),
        { abortSignal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
      const c = out.Contact;
      if (!c?.DisconnectTimestamp) return undefined;
      const start = (c.ConnectedToSystemTimestamp ?? c.InitiationTimestamp)?.getTime();
      const end = c.DisconnectTimestamp.getTime();
      return {
        status: c.ConnectedToSystemTimestamp ? 'COMPLETED' : 'NOT_CONNECTED',
        contactId,
        ...(c.DisconnectReason ? { disconnectReason: c.DisconnectReason } : {}),
        ...(start !== undefined ? { durationSeconds: Math.max(0, Math.round((end - start) / 1000)) } : {}),
        reason: 'DESCRIBE_CONTACT',
      };
    } catch (err) {
      // Said, not hidden: the Lead keeps UNKNOWN (NO_CALL_EVENT), and the log names why Connect could not tell.
      console.warn(JSON.stringify({ message: 'DescribeContact gave no outcome', error: (err as Error)?.name ?? 'Error' }));
      return undefined;
    }
  };
}
