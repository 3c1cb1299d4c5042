// Bundles the handler with esbuild and synthesizes the stack: `npx tsx bin/app.ts` (or `cdk synth`).
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';
import { CustomHandlerStack } from '../lib/custom-handler-stack';

const outdir = join(__dirname, '..', 'dist', 'fulfillment');
buildSync({
  entryPoints: [join(__dirname, '..', 'lib', 'handler.ts')],
  outfile: join(outdir, 'index.js'),
  bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true,
  external: ['@aws-sdk/*'], // the Lambda Node.js runtime provides the AWS SDK v3
});
const app = new App();
new CustomHandlerStack(app, 'CustomHandler', { handlerDirectory: outdir });
app.synth();
