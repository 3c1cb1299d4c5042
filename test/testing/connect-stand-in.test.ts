// The Connect stand-in as the real ConnectClient sees it: route, ClientToken idempotency, throttling error shape.
import { ConnectClient, StartOutboundVoiceContactCommand, TooManyRequestsException } from '@aws-sdk/client-connect';
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
});
