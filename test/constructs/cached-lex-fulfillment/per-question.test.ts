// Per-question intents at synth: what reaches the handler's configuration, the grants, and what is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect, it } from 'vitest';
import { AnswerScope, CachedLexFulfillment, type IntentResponse } from '../../../src';
import { describeConstruct, testStack } from '../../helpers/construct-test';

const TECH: IntentResponse = {
  intentName: 'AboutTechIntent',
  staticAnswer: 'We run on Lex, Bedrock and Connect.',
  prompt: 'Answer a question about our technology.',
  answerScope: AnswerScope.QUESTION,
};

/** The intents configuration the construct wrote into its layer file. */
function intentsFile(fulfillment: CachedLexFulfillment): Record<string, any> {
  const app = fulfillment.node.root as App;
  app.synth();
  const asset = fulfillment.configLayer!.node.findAll().find((c) => (c as any).assetPath !== undefined) as any;
  return JSON.parse(readFileSync(join(app.outdir, asset.assetPath, 'fast-lex', 'intents.json'), 'utf8'));
}

describeConstruct('CachedLexFulfillment per-question intents', () => {
  it('writes the question settings into the intents configuration, and none for intent-level intents', () => {
    const fulfillment = new CachedLexFulfillment(testStack(), 'Fulfillment', {
      intents: [
        { ...TECH, questionMatching: { nearMatchThreshold: 0.8, maxQuestions: 500, maxAge: Duration.days(2) } },
        { intentName: 'GreetingIntent', staticAnswer: 'Hello!', prompt: 'Greet.' },
      ],
    });

    const intents = intentsFile(fulfillment);

    expect(intents.AboutTechIntent.questions).toEqual({ nearMatchThreshold: 0.8, maxQuestions: 500, maxAgeSeconds: 172800 });
    expect(intents.GreetingIntent.questions).toBeUndefined();
  });

  it('grants InvokeModel on the embedding model to the fulfillment function only when an intent has an embedding stage', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', {
      intents: [{ ...TECH, questionMatching: { embeddingModelId: 'amazon.titan-embed-text-v2:0', embeddingThreshold: 0.85 } }],
    });
    const plain = testStack('Plain');
    new CachedLexFulfillment(plain, 'Fulfillment', { intents: [TECH] });

    const statements = (s: typeof stack) => JSON.stringify(Template.fromStack(s).findResources('AWS::IAM::Policy'));
    expect(statements(stack)).toContain('foundation-model/amazon.titan-embed-text-v2:0');
    expect(statements(plain)).not.toContain('titan-embed');
  });

  it('writes the generation bounds for the fulfillment function', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [TECH], generationLimits: { perSession: 5, perMinute: 30 } });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Lex V2 fulfillment: answers from the response cache, never waits on Bedrock',
      Environment: { Variables: { FAST_LEX_GENERATIONS_PER_SESSION: '5', FAST_LEX_GENERATIONS_PER_MINUTE: '30' } },
    });
  });

  it.each<[Partial<IntentResponse> | { generationLimits: object }, string]>([
    [{ prompt: undefined }, "intent 'AboutTechIntent' answers each question ('answerScope: AnswerScope.QUESTION') but has no 'prompt'"],
    [{ answerScope: AnswerScope.INTENT, questionMatching: { nearMatchThreshold: 0.9 } },
      "intent 'AboutTechIntent' has 'questionMatching' but answers the intent: set 'answerScope: AnswerScope.QUESTION' or remove 'questionMatching'."],
    [{ questionMatching: { nearMatchThreshold: 1.5 } }, "'questionMatching.nearMatchThreshold' must be above 0 and at most 1, got 1.5."],
    [{ questionMatching: { maxQuestions: 0 } }, "'questionMatching.maxQuestions' must be a whole number from 1 to 100000"],
    [{ questionMatching: { embeddingThreshold: 0.8 } }, "'questionMatching.embeddingThreshold' is set but 'questionMatching.embeddingModelId' is not"],
    [{ questionMatching: { embeddingModelId: 'titan embeddings' } }, "'intents[AboutTechIntent].questionMatching.embeddingModelId' 'titan embeddings' is neither a foundation model id"],
    [{ generationLimits: { perMinute: 0 } }, "'generationLimits.perMinute' must be a whole number of 1 or more, got 0."],
  ])('refuses a setting that cannot work, naming the prop and the fix: %#', (change, message) => {
    const { generationLimits, ...intentChange } = change as { generationLimits?: object };
    expect(() => new CachedLexFulfillment(testStack(), 'Fulfillment', {
      intents: [{ ...TECH, ...intentChange }],
      generationLimits,
    })).toThrow(message);
  });
});
