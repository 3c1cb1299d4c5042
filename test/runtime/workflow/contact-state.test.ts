// contactOutcomeReader through the real ConnectClient against the Connect stand-in's DescribeContact: what the Lead
// is told for an answered, an unanswered, a running and an unknown contact, and when Connect does not answer in time.
import { ConnectClient, StartOutboundVoiceContactCommand } from '@aws-sdk/client-connect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contactOutcomeReader } from '../../../src/runtime/workflow/contact-state';
import { LOCAL_CREDENTIALS, startConnectStandIn, type ConnectStandIn } from '../../../src/testing';

const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
let connect: ConnectStandIn | undefined;
afterEach(async () => { await connect?.stop(); connect = undefined; vi.restoreAllMocks(); });

async function placedCall(): Promise<{ client: ConnectClient; contactId: string }> {
  connect = await startConnectStandIn({ instanceIds: [INSTANCE_ID] });
  const client = new ConnectClient({ endpoint: connect.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const { ContactId } = await client.send(new StartOutboundVoiceContactCommand({
    InstanceId: INSTANCE_ID, ContactFlowId: '66666666-7777-8888-9999-000000000000', DestinationPhoneNumber: '+14155552671',
    SourcePhoneNumber: '+14155550100', ClientToken: `t-${Math.random()}`,
  }));
  return { client, contactId: ContactId! };
}

describe('contactOutcomeReader', () => {
  it('gives COMPLETED with the reason and the talk time for an answered contact that ended', async () => {
    const { client, contactId } = await placedCall();
    connect!.endContact(contactId, { connected: true, durationSeconds: 65, disconnectReason: 'CUSTOMER_DISCONNECT' });

    const outcome = await contactOutcomeReader({ connect: client, instanceId: INSTANCE_ID })(contactId);

    expect(outcome).toEqual({ status: 'COMPLETED', contactId, disconnectReason: 'CUSTOMER_DISCONNECT', durationSeconds: 60, reason: 'DESCRIBE_CONTACT' });
  });

  it('gives NOT_CONNECTED for a contact that ended without reaching the system', async () => {
    const { client, contactId } = await placedCall();
    connect!.endContact(contactId, { connected: false, durationSeconds: 30 });

    const outcome = await contactOutcomeReader({ connect: client, instanceId: INSTANCE_ID })(contactId);

    expect(outcome).toMatchObject({ status: 'NOT_CONNECTED', contactId, disconnectReason: 'CUSTOMER_NEVER_ARRIVED', durationSeconds: 30 });
  });

  it('gives nothing (the Lead keeps UNKNOWN) for a contact still in progress, and for one Connect does not know, saying why in the log', async () => {
    const { client, contactId } = await placedCall();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const read = contactOutcomeReader({ connect: client, instanceId: INSTANCE_ID });

    expect(await read(contactId)).toBeUndefined();
    expect(await read('no-such-contact')).toBeUndefined();
    expect(warn.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([{ message: 'DescribeContact gave no outcome', error: 'ResourceNotFoundException' }]);
  });

  it('gives nothing once its time runs out when Connect hangs', async () => {
    const { client, contactId } = await placedCall();
    connect!.endContact(contactId);
    connect!.setLatency(5_000);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    const outcome = await contactOutcomeReader({ connect: client, instanceId: INSTANCE_ID, timeoutMs: 100 })(contactId);

    expect(outcome).toBeUndefined();
  });
});
