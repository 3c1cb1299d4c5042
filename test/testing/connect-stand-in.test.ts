// The Connect stand-in as the real ConnectClient sees it: route, ClientToken idempotency, throttling error shape, and
// DescribeContact as the Amazon Connect API Reference describes it (DescribeContact: Request Syntax
// `GET /contacts/{InstanceId}/{ContactId}`, Response Syntax `{"Contact": {...}}`, Errors: ResourceNotFoundException).
import {
  ConnectClient, DescribeContactCommand, ResourceNotFoundException, StartOutboundVoiceContactCommand, TooManyRequestsException,
} from '@aws-sdk/client-connect';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startConnectStandIn, type ConnectStandIn } from '../../src/testing';

let connect: ConnectStandIn | undefined;
afterEach(async () => { await connect?.stop(); connect = undefined; });

const input = (token?: string) => ({
  InstanceId: '11111111-2222-3333-4444-555555555555', ContactFlowId: '66666666-7777-8888-9999-000000000000',
  DestinationPhoneNumber: '+14155552671', SourcePhoneNumber: '+14155550100', ClientToken: token, Attributes: { interactionKey: 'k1' },
});
const client = (endpoint: string) => new ConnectClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

describe('Connect stand-in', () => {
  it('returns the same ContactId for a repeated ClientToken and places one call', async () => {
    connect = await startConnectStandIn();
    const c = client(connect.endpoint);
    const first = await c.send(new StartOutboundVoiceContactCommand(input('token-1')));
    const again = await c.send(new StartOutboundVoiceContactCommand(input('token-1')));
    const other = await c.send(new StartOutboundVoiceContactCommand(input('token-2')));
    expect(again.ContactId).toBe(first.ContactId);
    expect(other.ContactId).not.toBe(first.ContactId);
    expect(connect.calls.map((call) => call.clientToken)).toEqual(['token-1', 'token-2']);
    expect(connect.calls[0].attributes).toEqual({ interactionKey: 'k1' });
    expect(connect.requests.map((r) => r.outcome)).toEqual(['placed', 'replayed', 'placed']);
  });

  it('throttles past its burst with the real TooManyRequestsException (HTTP 429)', async () => {
    connect = await startConnectStandIn({ rateLimit: { perSecond: 0.001, burst: 2 } });
    const c = client(connect.endpoint);
    await c.send(new StartOutboundVoiceContactCommand(input('a')));
    await c.send(new StartOutboundVoiceContactCommand(input('b')));
    const err = await c.send(new StartOutboundVoiceContactCommand(input('c'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsException);
    expect((err as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
    expect(connect.calls).toHaveLength(2);
  });

  it('answers scripted failures, then serves again', async () => {
    connect = await startConnectStandIn();
    const c = client(connect.endpoint);
    connect.failNext('TooManyRequestsException', 'InternalServiceException');
    await expect(c.send(new StartOutboundVoiceContactCommand(input('x')))).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    await expect(c.send(new StartOutboundVoiceContactCommand(input('x')))).rejects.toMatchObject({ name: 'InternalServiceException', $metadata: { httpStatusCode: 500 } });
    await expect(c.send(new StartOutboundVoiceContactCommand(input('x')))).resolves.toMatchObject({ ContactId: expect.any(String) });
  });

  it('rejects a number that is not E.164 and a call with neither caller id nor queue', async () => {
    connect = await startConnectStandIn();
    const c = client(connect.endpoint);
    await expect(c.send(new StartOutboundVoiceContactCommand({ ...input(), DestinationPhoneNumber: '4155552671' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(c.send(new StartOutboundVoiceContactCommand({ ...input(), SourcePhoneNumber: undefined }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(connect.calls).toHaveLength(0);
  });

  it('builds the DISCONNECTED contact event EventBridge delivers for a placed call', async () => {
    connect = await startConnectStandIn();
    const { ContactId } = await client(connect.endpoint).send(new StartOutboundVoiceContactCommand(input('e')));
    const event = connect.contactEvent(ContactId!, { durationSeconds: 30 });
    expect(event).toMatchObject({
      'source': 'aws.connect', 'detail-type': 'Amazon Connect Contact Event',
      'detail': { contactId: ContactId, eventType: 'DISCONNECTED', disconnectReason: 'CUSTOMER_DISCONNECT', instanceArn: expect.stringContaining('instance/11111111') },
    });
  });

  it('describes a placed contact in progress: API initiation, voice, no DisconnectTimestamp', async () => {
    connect = await startConnectStandIn({ region: 'eu-west-2', account: '210987654321' });
    const c = client(connect.endpoint);
    const { ContactId } = await c.send(new StartOutboundVoiceContactCommand(input('t-progress')));

    const { Contact } = await c.send(new DescribeContactCommand({ InstanceId: input().InstanceId, ContactId }));

    expect(Contact).toMatchObject({
      Id: ContactId, InitiationMethod: 'API', Channel: 'VOICE',
      Arn: `arn:aws:connect:eu-west-2:210987654321:instance/${input().InstanceId}/contact/${ContactId}`,
    });
    expect(Contact!.InitiationTimestamp).toBeInstanceOf(Date); // epoch seconds on the wire, a Date to the client
    expect(Math.abs(Contact!.InitiationTimestamp!.getTime() - connect.calls[0].placedAt)).toBeLessThan(1);
    expect(Contact!.DisconnectTimestamp).toBeUndefined();
    expect(Contact!.ConnectedToSystemTimestamp).toBeUndefined();
    expect(connect.describeRequests).toEqual([ContactId]);
  });

  it('describes an ended contact with its connect and disconnect times and reason, as after its DISCONNECTED event', async () => {
    connect = await startConnectStandIn();
    const c = client(connect.endpoint);
    const answered = (await c.send(new StartOutboundVoiceContactCommand(input('t-answered')))).ContactId!;
    const unanswered = (await c.send(new StartOutboundVoiceContactCommand(input('t-unanswered')))).ContactId!;
    connect.endContact(answered, { durationSeconds: 60, disconnectReason: 'AGENT_DISCONNECT' });
    const event = connect.contactEvent(unanswered, { connected: false });

    const a = (await c.send(new DescribeContactCommand({ InstanceId: input().InstanceId, ContactId: answered }))).Contact!;
    const u = (await c.send(new DescribeContactCommand({ InstanceId: input().InstanceId, ContactId: unanswered }))).Contact!;

    expect((a.DisconnectTimestamp!.getTime() - a.InitiationTimestamp!.getTime()) / 1000).toBe(60);
    expect((a.ConnectedToSystemTimestamp!.getTime() - a.InitiationTimestamp!.getTime()) / 1000).toBe(5);
    expect(a.DisconnectReason).toBe('AGENT_DISCONNECT');
    expect(u.ConnectedToSystemTimestamp).toBeUndefined();
    expect(u.DisconnectTimestamp!.toISOString()).toBe(event.detail.disconnectTimestamp);
    expect(u.DisconnectReason).toBe('CUSTOMER_NEVER_ARRIVED');
  });

  it('answers ResourceNotFoundException (HTTP 404) for a contact it did not place or an instance it does not know', async () => {
    connect = await startConnectStandIn({ instanceIds: [input().InstanceId] });
    const c = client(connect.endpoint);
    const { ContactId } = await c.send(new StartOutboundVoiceContactCommand(input('t-known')));

    const unknownContact = await c.send(new DescribeContactCommand({ InstanceId: input().InstanceId, ContactId: 'no-such-contact' })).catch((e: unknown) => e);
    const otherInstance = await c.send(new DescribeContactCommand({ InstanceId: '99999999-2222-3333-4444-555555555555', ContactId })).catch((e: unknown) => e);

    expect(unknownContact).toBeInstanceOf(ResourceNotFoundException);
    expect((unknownContact as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    expect(otherInstance).toBeInstanceOf(ResourceNotFoundException);
  });
});
