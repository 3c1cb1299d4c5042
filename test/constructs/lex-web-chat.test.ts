import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lex from 'aws-cdk-lib/aws-lex';
import { describe, expect, it } from 'vitest';
import { CachedLexFulfillment, LexWebChat, type LexWebChatProps } from '../../src';
import { normalisedTemplate, unacknowledgedNagFindings } from '../helpers/template';

function newStack(): Stack {
  return new Stack(new App(), 'Chat', { env: { account: '123456789012', region: 'us-west-2' } });
}

function chat(stack: Stack, extra: Partial<LexWebChatProps> = {}): LexWebChat {
  return new LexWebChat(stack, 'WebChat', { botId: 'BOTID12345', botAliasId: 'ALIASID123', ...extra });
}

describe('LexWebChat', () => {
  it('keeps the page in a private, encrypted bucket that refuses plain HTTP', () => {
    const stack = newStack();
    chat(stack);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('serves the page over HTTPS through origin access control, with the security headers on every answer', () => {
    const stack = newStack();
    chat(stack);

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 2);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }) });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always' }) });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: Match.anyValue() }),
        CacheBehaviors: [Match.objectLike({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only', AllowedMethods: Match.arrayWith(['POST']), ResponseHeadersPolicyId: Match.anyValue() })],
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("script-src 'self'.*frame-ancestors 'none'"), Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
    const csp = JSON.stringify(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(csp).not.toContain('unsafe-inline');
  });

  it('gives the proxy a function URL with IAM auth, on its live alias', () => {
    const stack = newStack();
    chat(stack);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: Match.anyValue(),
      Qualifier: 'live',
    });
    // Only this distribution may call it: InvokeFunctionUrl and InvokeFunction (via the URL), scoped by source ARN.
    const distributionArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: Match.stringLikeRegexp('^WebChatDistribution') }]] };
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', Principal: 'cloudfront.amazonaws.com', SourceArn: distributionArn });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true, Principal: 'cloudfront.amazonaws.com', SourceArn: distributionArn });
  });

  it('lets the proxy call lex:RecognizeText on that one alias and nothing else of Lex', () => {
    const stack = newStack();
    chat(stack);

    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement as any[]);
    const lexStatements = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('lex:')));
    expect(lexStatements).toEqual([{
      Action: 'lex:RecognizeText',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lex:us-west-2:123456789012:bot-alias/BOTID12345/ALIASID123']] },
    }]);
  });

  it('gives the proxy its logs, traces, that alias and four item operations on its own table, nothing more', () => {
    const stack = newStack();
    chat(stack);

    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^WebChatProxyRole') } });
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement as any[]);
    expect(statements.map((s) => [s.Action].flat())).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      ['lex:RecognizeText'],
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    ]);
    expect(statements[3].Resource).toHaveLength(1);
    expect(statements[3].Resource[0]['Fn::GetAtt'][0]).toMatch(/^WebChatSessionTable/);
  });

  it('rate-limits in an encrypted table whose items expire, and reserves the proxy\'s concurrency', () => {
    const stack = newStack();
    chat(stack, { rateLimit: { messages: 5, window: Duration.minutes(2) }, reservedConcurrency: 7 });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 7,
      Environment: { Variables: Match.objectLike({ FAST_LEX_WEB_CHAT_RATE_LIMIT: '5', FAST_LEX_WEB_CHAT_RATE_WINDOW_SECONDS: '120', FAST_LEX_WEB_CHAT_BOT_ALIAS_ID: 'ALIASID123' }) },
    });
  });

  it('puts a CLOUDFRONT-scope web ACL in front of the distribution', () => {
    const stack = newStack();
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/chat/0a1b2c3d-0000-1111-2222-333344445555';
    chat(stack, { webAclArn: arn });

    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ WebACLId: arn }) });
  });

  it('refuses a regional web ACL, naming webAclArn and the CLOUDFRONT scope', () => {
    const regional = 'arn:aws:wafv2:us-west-2:123456789012:regional/webacl/chat/0a1b2c3d-0000-1111-2222-333344445555';

    expect(() => chat(newStack(), { webAclArn: regional })).toThrow(/webAclArn .* is a REGIONAL web ACL.*Scope CLOUDFRONT in us-east-1/);
    expect(() => chat(newStack(), { webAclArn: 'chat-acl' })).toThrow(/webAclArn 'chat-acl' is not a WAFv2 web ACL ARN/);
  });

  it('refuses the test alias and anything that does not name one alias', () => {
    expect(() => chat(newStack(), { botAliasId: 'TSTALIASID' })).toThrow(/botAliasId is TSTALIASID, the test alias.*attrBotAliasId/);
    expect(() => chat(newStack(), { botAliasId: 'arn:aws:lex:us-west-2:123456789012:bot/BOTID12345' })).toThrow(/botAliasId .* is not a bot alias id/);
    expect(() => chat(newStack(), { botAliasId: 'live' })).toThrow(/not a bot, an ARN or an alias name/);
    expect(() => chat(newStack(), { botId: 'my bot' })).toThrow(/botId 'my bot' is not a Lex V2 bot id/);
  });

  it('refuses reserved concurrency below the provisioned instances, naming both props', () => {
    expect(() => chat(newStack(), { reservedConcurrency: 1 })).toThrow(/reservedConcurrency \(1\) is below provisionedConcurrency \(2\)/);
    expect(() => chat(newStack(), { reservedConcurrency: 0 })).toThrow(/reservedConcurrency must be a positive integer/);
  });

  it('accepts any bot alias given as tokens', () => {
    const stack = newStack();
    const alias = new lex.CfnBotAlias(stack, 'Alias', { botId: 'BOTID12345', botAliasName: 'live', botVersion: '1' });

    const webChat = new LexWebChat(stack, 'WebChat', { botId: alias.botId, botAliasId: alias.attrBotAliasId });

    expect(webChat.url).toMatch(/^https:\/\//);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FAST_LEX_WEB_CHAT_BOT_ALIAS_ID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Alias'), 'BotAliasId'] } }) },
    });
  });

  // Lambda, "Invoking a response streaming enabled function using Lambda function URLs"
  // (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-invoke-furls.html): with InvokeMode RESPONSE_STREAM Lambda
  // invokes the function with InvokeWithResponseStream and streams the payload as it becomes available (BUFFERED, the
  // default, waits for the whole payload). CloudFront, "Restricting access to an AWS Lambda function URL origin"
  // (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html):
  // the function URL stays behind origin access control; the /api/* behaviour neither caches nor compresses, so each
  // chunk passes on as it comes.
  it('streams the proxy\'s answers: a RESPONSE_STREAM function URL behind a behaviour that neither caches nor compresses /api/*', () => {
    const stack = newStack();
    chat(stack);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        // 4135ea2d-...: the managed CachingDisabled policy (TTL 0, no compression headers in the cache key).
        CacheBehaviors: [Match.objectLike({ PathPattern: '/api/*', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', Compress: false })],
      }),
    });
  });

  describe('with streaming of new answers', () => {
    const GENERATED = { intentName: 'AboutTech', staticAnswer: 'Atlas runs on Lex.', prompt: 'Answer about the technology.' };

    function streamingChat(deadline?: Duration) {
      const stack = newStack();
      const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GENERATED], modelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
      chat(stack, { streaming: { fulfillment, deadline } });
      return { stack, template: Template.fromStack(stack) };
    }

    function proxyStatements(template: Template): any[] {
      const policies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^WebChatProxyRole') } });
      return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement as any[]);
    }

    // Bedrock, "Carry out a conversation with the Converse API operations"
    // (https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-call.html): ConverseStream needs
    // bedrock:InvokeModelWithResponseStream. Lex V2 GetSession/PutSession: lex:GetSession and lex:PutSession on the alias.
    it('lets the proxy stream from the one model, write and delete items of the cache table, queue a generation and keep the Lex session', () => {
      const { template } = streamingChat();
      const statements = proxyStatements(template);
      const actions = statements.map((s) => [s.Action].flat());
      expect(actions).toEqual([
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        ['lex:RecognizeText'],
        ['bedrock:InvokeModelWithResponseStream'],
        ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        ['lex:GetSession', 'lex:PutSession'],
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      ]);
      const bedrock = statements[3];
      expect(bedrock.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0']] });
      expect(JSON.stringify(statements[4].Resource)).toMatch(/FulfillmentCache/);
      expect(JSON.stringify(statements[5].Resource)).toMatch(/FulfillmentGenerationQueue/);
      expect(statements[6].Resource).toEqual(statements[2].Resource);
      // Nowhere a read of the cache: the proxy never scans or queries the answers.
      expect(JSON.stringify(statements)).not.toMatch(/dynamodb:(Query|Scan|BatchGetItem)/);
    });

    it('tells the proxy the cache table, the queue, the model and the deadline, and gives it the time to stream', () => {
      const { template } = streamingChat(Duration.seconds(12));
      template.hasResourceProperties('AWS::Lambda::Function', {
        Timeout: 22,
        Environment: { Variables: Match.objectLike({
          FAST_LEX_WEB_CHAT_STREAM_CACHE_TABLE: { Ref: Match.stringLikeRegexp('^FulfillmentCache') },
          FAST_LEX_WEB_CHAT_STREAM_QUEUE_URL: { Ref: Match.stringLikeRegexp('^FulfillmentGenerationQueue') },
          FAST_LEX_WEB_CHAT_STREAM_DEADLINE_MS: '12000',
          FAST_LEX_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0',
        }) },
      });
    });

    it('refuses a deadline outside 1 to 30 seconds, naming streaming.deadline', () => {
      expect(() => streamingChat(Duration.seconds(45))).toThrow(/'streaming.deadline' is 45000 ms; give 1 to 30 seconds/);
      expect(() => streamingChat(Duration.millis(200))).toThrow(/'streaming.deadline'/);
    });

    it('has no unacknowledged cdk-nag AwsSolutions findings', () => {
      const { stack } = streamingChat();
      expect(unacknowledgedNagFindings(stack)).toEqual([]);
    });
  });

  it('has no unacknowledged cdk-nag AwsSolutions findings', () => {
    const stack = newStack();
    chat(stack);

    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  it('matches the snapshot', () => {
    const stack = newStack();
    chat(stack);

    expect(normalisedTemplate(stack)).toMatchSnapshot();
  });
});
