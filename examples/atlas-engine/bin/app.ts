#!/usr/bin/env node
// CDK entry point of the Atlas Engine (`cdk synth` / `cdk deploy` use it through cdk.json).
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LatencyChecks } from 'cdk-fast-lex';
import { AtlasEngineStack } from '../lib/atlas-engine-stack';

export function buildApp(app = new App()): { app: App; stack: AtlasEngineStack } {
  const context = (key: string): string => {
    const value = app.node.tryGetContext(key);
    if (typeof value !== 'string' || value === '') {
      throw new Error(`Context value '${key}' is missing: set it in cdk.json or pass -c ${key}=... (see README).`);
    }
    return value;
  };
  const stack = new AtlasEngineStack(app, 'AtlasEngine', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-west-2' },
    connectInstanceArn: context('atlas:connectInstanceArn'),
    // Optional: a number the instance already owns; without it the stack claims one.
    sourcePhoneNumber: app.node.tryGetContext('atlas:sourcePhoneNumber'),
    salesforceSecretName: app.node.tryGetContext('atlas:salesforceSecretName'),
    modelId: app.node.tryGetContext('atlas:modelId'),
  });
  // Security and latency checks run on every synth; a finding without an acknowledgement fails it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new LatencyChecks());
  return { app, stack };
}

if (require.main === module) {
  buildApp().app.synth();
}
