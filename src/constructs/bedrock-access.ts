// The least-privilege Bedrock grant both CachedLexFulfillment and DemoCallWorkflow give the function that generates.
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { resolveForNag } from './nag-ids';
import type { RightSizedFunction } from './right-sized-function';
import { INFERENCE_PROFILE_PREFIXES } from '../shared/bedrock-defaults';

/**
 * Lets `fn` call `bedrock:InvokeModel` (which authorises Converse), or `bedrock:InvokeModelWithResponseStream` (which
 * authorises ConverseStream), on one model: a model ARN as given; a foundation
 * model id in this region; or a cross-region inference profile, plus its foundation model in any region but only
 * when called through that profile (`bedrock:InferenceProfileArn`). The region wildcard is acknowledged in cdk-nag.
 */
export function grantBedrockInvoke(fn: RightSizedFunction, modelId: string, action: 'bedrock:InvokeModel' | 'bedrock:InvokeModelWithResponseStream' = 'bedrock:InvokeModel'): void {
  const stack = Stack.of(fn);
  const allow = (resources: string[], conditions?: Record<string, unknown>) =>
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [action], resources, conditions }));
  if (modelId.startsWith('arn:')) {
    allow([modelId]);
    return;
  }
  const dot = modelId.indexOf('.');
  if (dot > 0 && INFERENCE_PROFILE_PREFIXES.includes(modelId.slice(0, dot))) {
    const profileArn = stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: modelId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const modelArn = `arn:${stack.partition}:bedrock:*::foundation-model/${modelId.slice(dot + 1)}`;
    allow([profileArn]);
    allow([modelArn], { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } });
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${resolveForNag(stack, modelArn)}]`,
      reason: `The cross-region inference profile ${modelId} routes calls to its foundation model in regions it chooses; the region wildcard is pinned to that one model and conditioned on this profile.`,
    });
    return;
  }
  allow([stack.formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: modelId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })]);
}
