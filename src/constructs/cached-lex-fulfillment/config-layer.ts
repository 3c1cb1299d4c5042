// The intents configuration as a file in a Lambda layer: Lambda's environment holds at most 4 KB, which about 15
// intents with real prompts exceed; a layer holds 250 MB and is read from local disk at init.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { CONFIG_LAYER_DIRECTORY, INTENTS_FILE_NAME } from '../../shared/config-file';
import type { IntentCacheConfigs } from '../../shared/wire';

/** True when any value of the configuration is an unresolved token (a file can only hold literals). */
function holdsTokens(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(holdsTokens);
  if (typeof value === 'object' && value !== null) return Token.isUnresolved(value) || Object.values(value).some(holdsTokens);
  return false;
}

/**
 * A layer holding `intents` as `/opt/fast-lex/intents.json`; undefined when the configuration holds tokens (a
 * CloudFormation parameter in a prompt, say), which only the environment can carry. The layer's asset hash is the
 * file's content, so a changed prompt publishes a new layer version and, through it, a new function version.
 */
export function intentsConfigLayer(scope: Construct, id: string, intents: IntentCacheConfigs): lambda.LayerVersion | undefined {
  if (holdsTokens(intents)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'fast-lex-config-'));
  mkdirSync(join(dir, CONFIG_LAYER_DIRECTORY));
  writeFileSync(join(dir, CONFIG_LAYER_DIRECTORY, INTENTS_FILE_NAME), JSON.stringify(Stack.of(scope).resolve(intents)));
  return new lambda.LayerVersion(scope, id, {
    code: lambda.Code.fromAsset(dir),
    compatibleArchitectures: [lambda.Architecture.ARM_64],
    description: 'cdk-fast-lex intents configuration (read at init from /opt/fast-lex/intents.json)',
  });
}
