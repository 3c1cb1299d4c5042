import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { expect, it } from 'vitest';
import { ResponseCacheTable } from '../../src';
import { describeConstruct, expectSnapshot, skipNagCheck, testStack } from '../helpers/construct-test';
import { unacknowledgedNagFindings } from '../helpers/template';


describeConstruct('ResponseCacheTable', () => {
  it('creates the seed schema: PK/SK strings, TTL, GSI1 on intent + generatedAt', () => {
    const stack = testStack();
    new ResponseCacheTable(stack, 'Cache');

    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'intent', AttributeType: 'S' },
        { AttributeName: 'generatedAt', AttributeType: 'N' },
      ]),
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: [{
        IndexName: 'GSI1',
        KeySchema: [
          { AttributeName: 'intent', KeyType: 'HASH' },
          { AttributeName: 'generatedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      }],
    });
  });

  it('is on-demand, encrypted at rest, recoverable and retained by default', () => {
    const stack = testStack();
    new ResponseCacheTable(stack, 'Cache');

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      ProvisionedThroughput: Match.absent(),
    });
    // DynamoDB always encrypts at rest; SSEEnabled false selects the AWS owned key (true would mean a KMS key).
    template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: false } });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('encrypts with a customer managed key when one is given', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new ResponseCacheTable(stack, 'Cache', { tableProps: { encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY } });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  it('supports provisioned billing with capacities on the table and the index', () => {
    const stack = testStack();
    new ResponseCacheTable(stack, 'Cache', {
      tableProps: { billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: 10, writeCapacity: 4 },
    });

    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 4 },
      GlobalSecondaryIndexes: [Match.objectLike({ ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 4 } })],
    });
  });

  it('turns point-in-time recovery off only when asked', () => {
    skipNagCheck('point-in-time recovery is off on purpose: AwsSolutions-DDB3 is expected (the DDB3 test asserts it)');
    const stack = testStack();
    new ResponseCacheTable(stack, 'Cache', { tableProps: { pointInTimeRecovery: false } });

    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
  });

  it('uses an existing table and creates none', () => {
    const stack = testStack();
    const existing = dynamodb.Table.fromTableName(stack, 'Existing', 'AtlasEngine-ResponseCache');
    const cache = new ResponseCacheTable(stack, 'Cache', { existingTable: existing });

    expect(cache.table).toBe(existing);
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 0);
  });

  it('names both props when existingTable and tableProps conflict', () => {
    const stack = testStack();
    const existing = dynamodb.Table.fromTableName(stack, 'Existing', 'AtlasEngine-ResponseCache');

    expect(() => new ResponseCacheTable(stack, 'Cache', { existingTable: existing, tableProps: { tableName: 'x' } }))
      .toThrow(/'existingTable' and 'tableProps' conflict/);
  });

  it('rejects capacities with on-demand billing', () => {
    const stack = testStack();

    expect(() => new ResponseCacheTable(stack, 'Cache', { tableProps: { readCapacity: 5 } }))
      .toThrow(/'readCapacity' and 'writeCapacity' apply only with 'billingMode: BillingMode.PROVISIONED'/);
  });

  it('grants reads as GetItem and Query only, writes as PutItem, UpdateItem and DeleteItem only', () => {
    const stack = testStack();
    const cache = new ResponseCacheTable(stack, 'Cache');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    cache.grantReadCache(reader);
    cache.grantWriteCache(writer);

    const template = Template.fromStack(stack);
    const tableArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheTable'), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      PolicyDocument: { Statement: [{
        Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'],
        Effect: 'Allow',
        Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/GSI1']] }],
      }] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Writer') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable'] })] },
    });
  });

  it('grants the customer managed key along with the table', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const cache = new ResponseCacheTable(stack, 'Cache', { tableProps: { encryptionKey: key } });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    cache.grantReadCache(reader);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt' })]) },
    });
  });

  it('is flagged by cdk-nag (AwsSolutions-DDB3) when point-in-time recovery is turned off', () => {
    const stack = testStack();
    new ResponseCacheTable(stack, 'Cache', { tableProps: { pointInTimeRecovery: false } });
    skipNagCheck('this test expects the finding: it shows the nag check can fail');

    expect(unacknowledgedNagFindings(stack)).toEqual([expect.stringMatching(/^AwsSolutions-DDB3 /)]);
  });

  it('matches the snapshot', () => {
    const stack = testStack();
    new ResponseCacheTable(stack, 'Cache', { tableProps: { tableName: 'AtlasEngine-ResponseCache' } });

    expectSnapshot(stack);
  });
});
