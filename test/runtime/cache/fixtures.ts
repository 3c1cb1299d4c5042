// Shared set-up of the cache and worker suites: real clients on local stand-ins, SQS queues on moto, and a
// miniature Lambda event source mapping that feeds received SQS messages to a worker the way Lambda does.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import {
  LOCAL_REGION, createResponseCacheTable, localBedrockClient, localDynamoDbClient, localSqsClient, startBedrockStandIn, startMotoServer,
  type BedrockStandIn, type LocalEndpoint,
} from '../../../src/testing';
import type { Backend } from '../../helpers/backends';

export const REGION = LOCAL_REGION;
export { localBedrockClient, localSqsClient };

/** The local services of the cache and worker suites, started once per suite. */
export interface LocalBackends {
  /** The DynamoDB backend (dynalite or moto). */
  readonly dynamo: LocalEndpoint;
  /** moto server, for SQS. */
  readonly sqsServer: LocalEndpoint;
  readonly bedrock: BedrockStandIn;
  readonly ddb: DynamoDBClient;
  readonly sqs: SQSClient;
}

/**
 * Starts the DynamoDB backend, moto (SQS) and the Bedrock stand-in before the suite and stops them after it. The
 * fields are there once `beforeAll` has run, that is inside the tests.
 */
export function useLocalBackends(backend: Backend): LocalBackends {
  const local = {} as { -readonly [K in keyof LocalBackends]: LocalBackends[K] };
  beforeAll(async () => {
    [local.dynamo, local.sqsServer, local.bedrock] = await Promise.all([backend.start(), startMotoServer(), startBedrockStandIn({ latencyMs: 0 })]);
    local.ddb = localDynamoDbClient(local.dynamo.endpoint);
    local.sqs = localSqsClient(local.sqsServer.endpoint);
  });
  afterAll(async () => {
    await Promise.all([local.dynamo?.stop(), local.sqsServer?.stop(), local.bedrock?.stop()]);
  });
  return local;
}

/** A fresh response cache table with a unique name. */
export async function freshTable(client: DynamoDBClient): Promise<string> {
  const name = `cache-${randomUUID().slice(0, 8)}`;
  await createResponseCacheTable(client, name);
  return name;
}

export interface Queues {
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

/**
 * A generation queue with its dead-letter queue, as the construct deploys them. Visibility timeout 0 so a failed
 * message is received again at once (the worker's back-off may still hide it); after `maxReceiveCount` receives
 * SQS moves it to the DLQ.
 */
export async function freshQueues(sqs: SQSClient, maxReceiveCount = 3): Promise<Queues> {
  const id = randomUUID().slice(0, 8);
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `generation-dlq-${id}` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const queue = await sqs.send(new CreateQueueCommand({
    QueueName: `generation-${id}`,
    Attributes: {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: String(maxReceiveCount) }),
    },
  }));
  return { queueUrl: queue.QueueUrl!, dlqUrl: dlq.QueueUrl! };
}

/** Receives what is visible now (without deleting it). */
export async function receive(sqs: SQSClient, queueUrl: string, max = 10): Promise<Message[]> {
  const out = await sqs.send(new ReceiveMessageCommand({
    QueueUrl: queueUrl,
    MaxNumberOfMessages: max,
    WaitTimeSeconds: 0,
    MessageSystemAttributeNames: ['All'],
    MessageAttributeNames: ['All'],
  }));
  return out.Messages ?? [];
}

/** Receives and deletes everything visible now: counts what was enqueued. */
export async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const batch = await receive(sqs, queueUrl);
    if (batch.length === 0) return all;
    all.push(...batch);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

/** The SQS event Lambda builds from received messages. */
export function sqsEvent(messages: Message[], queueArn = `arn:aws:sqs:${REGION}:123456789012:generation`): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: m.Attributes?.SenderId ?? 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, {
        stringValue: v.StringValue, binaryValue: undefined, stringListValues: [], binaryListValues: [], dataType: v.DataType ?? 'String',
      }])),
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: REGION,
    })),
  };
}

/**
 * One poll of Lambda's SQS event source mapping with ReportBatchItemFailures: receive, invoke, delete the records
 * the handler did not report as failed. Returns what was delivered and the handler's answer.
 */
export async function deliverOnce(
  sqs: SQSClient,
  queueUrl: string,
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
): Promise<{ delivered: Message[]; response?: SQSBatchResponse }> {
  const delivered = await receive(sqs, queueUrl);
  if (delivered.length === 0) return { delivered };
  const response = await handler(sqsEvent(delivered));
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = delivered.filter((m) => !failed.has(m.MessageId!));
  if (done.length > 0) {
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return { delivered, response };
}

/** A fake epoch-ms clock the tests move by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}
