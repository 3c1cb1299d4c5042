// The project definition of cdk-fast-lex: run `npx projen` after editing it.
import { awscdk, javascript, JsonPatch } from 'projen';

// Versions in one place.
const CDK_VERSION = '2.275.0'; // the newest aws-cdk-lib on both npm and PyPI (Python users pin it too); has NODEJS_24_X and Validations
const CONSTRUCTS_VERSION = '10.5.1';
const JSII_VERSION = '~6.0.0'; // jsii 6 compiles with TypeScript 6.0
const TYPESCRIPT_VERSION = '~6.0.0'; // matches jsii
const NODE_VERSION = '24'; // Node 20 is end of life: every npm script runs on the Node 24 that `node@24` installs
const AWS_SDK_VERSION = '^3'; // the clients are versioned apart; the lock file pins what we test
const VITEST_VERSION = '^4.1.12'; // vitest 5's coverage plugin needs a package the registry does not serve yet

// Third-party packages used by `cdk-fast-lex/runtime` and `cdk-fast-lex/testing`. They are bundled into the
// prebundled handlers and are devDependencies here, so neither the jsii assembly nor the Python wheel carries them.
// jsii refuses non-jsii peer dependencies, so they are listed for Lambda authors under `cdkFastLex.runtimePackages`
// in package.json and in the README, and a missing one fails with Node's MODULE_NOT_FOUND naming it.
const RUNTIME_PACKAGES = [
  `@aws-sdk/client-bedrock-runtime@${AWS_SDK_VERSION}`,
  `@aws-sdk/client-connect@${AWS_SDK_VERSION}`,
  `@aws-sdk/client-dynamodb@${AWS_SDK_VERSION}`,
  `@aws-sdk/client-secrets-manager@${AWS_SDK_VERSION}`,
  `@aws-sdk/client-sfn@${AWS_SDK_VERSION}`,
  `@aws-sdk/client-sqs@${AWS_SDK_VERSION}`,
  `@aws-sdk/lib-dynamodb@${AWS_SDK_VERSION}`,
  'jsforce@^3.10.17',
  'undici@^8.0.0', // jsforce's HTTP client: the Salesforce client and stand-in pass it a TLS-aware dispatcher
  'lru-cache@^11.0.0',
  'libphonenumber-js@^1.12.0',
  '@aws-lambda-powertools/metrics@^2.30.0',
  '@aws-lambda-powertools/logger@^2.30.0',
  // test kit only
  'dynalite@^4.0.0',
  'aws-local-stepfunctions@^3.0.0',
  'chrono-node@^2.10.0', // the Lex stand-in's AMAZON.Date
  'fastest-levenshtein@^1.0.16', // the Lex stand-in's fuzzy utterance matching
];

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-fast-lex',
  description: 'Fast Amazon Lex V2 bots on AWS CDK: cached fulfillment, right-sized Lambdas, a parallel lead-to-call workflow, and an offline test kit.',
  author: 'cdk-fast-lex maintainers',
  authorAddress: 'maintainers@cdk-fast-lex.dev',
  repositoryUrl: 'https://example.invalid/cdk-fast-lex.git',
  license: 'Apache-2.0',
  keywords: ['aws-cdk', 'lex', 'lexv2', 'lambda', 'bedrock', 'step-functions', 'amazon-connect', 'salesforce', 'cache'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: JSII_VERSION,
  typescriptVersion: TYPESCRIPT_VERSION,
  minNodeVersion: '22.0.0', // jsforce 3.10 and the test kit need Node >= 22; the handlers run on nodejs24.x
  workflowNodeVersion: NODE_VERSION,

  // This repository has no GitHub: CI is `.ci/run`.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  excludeTypescript: ['src/handlers/**', 'src/web-chat-page/**'], // bundled by esbuild into assets/; type-checked through tsconfig.dev.json

  // vitest is the one test runner (see configureTests); projen's jest and its eslint preset are off.
  jest: false,
  eslint: false,

  // `npx cdk-fast-lex report cdk.out`: the latency/cost report.
  bin: { 'cdk-fast-lex': 'lib/cli/main.js' },

  // Python users consume the constructs through jsii.
  publishToPypi: { distName: 'cdk-fast-lex', module: 'cdk_fast_lex' },

  devDeps: [
    `node@${NODE_VERSION}`,
    `vitest@${VITEST_VERSION}`,
    `@vitest/coverage-v8@${VITEST_VERSION}`,
    'cdk-nag@^3.0.2',
    'esbuild@^0.28.0',
    'dynalite@^4.0.0',
    'aws-local-stepfunctions@^3.0.0',
    'chrono-node@^2.10.3',
    'fastest-levenshtein@^1.0.16',
    '@types/aws-lambda@^8.10.0',
    'tsx@^4.19.0',
    // What we build and test the runtime against (the peers above are the ranges we accept).
    '@aws-sdk/client-bedrock-runtime@^3.1164.0',
    '@aws-sdk/client-connect@^3.1136.0',
    '@aws-sdk/client-dynamodb@^3.1169.0',
    '@aws-sdk/client-secrets-manager@^3.1164.0',
    '@aws-sdk/client-sfn@^3.1164.0',
    '@aws-sdk/client-sqs@^3.1164.0',
    '@aws-sdk/lib-dynamodb@^3.1169.0',
    '@aws-sdk/client-lex-runtime-v2@^3.1048.0', // the example's `--remote` mode
    'jsforce@^3.10.26',
    'undici@^8.0.0',
    '@smithy/node-http-handler@^4.0.0', // tests force HTTP/1.1 against the Bedrock stand-in
    'lru-cache@^11.5.3',
    'libphonenumber-js@^1.13.16',
    '@aws-lambda-powertools/metrics@^2.36.0',
    '@aws-lambda-powertools/logger@^2.36.0',
    'playwright-core@^1.65.0', // drives Debian's chromium in the web chat browser test (Apache-2.0; downloads nothing)
  ],

  tsconfigDevFile: 'tsconfig.dev.json', // type-checks tests, benchmarks, scripts and the example
  tsconfigDev: {
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'vitest.config.mts'],
    compilerOptions: { types: ['node'] },
  },
  gitignore: ['/bench/results/*.tmp', '/coverage/', '/.venv*', '/test/python/.venv/', '/examples/atlas-engine/cdk.out/', '/.local/', '/.bundle-meta/', '/assets/', '/.jsii.tabl.json', '/test-output/'],
  npmIgnoreOptions: { ignorePatterns: ['/docs/', '/bench/', '/scripts/', '/examples/', '/coverage/', '/vitest.config.mts', '/.ci/', '/.venv/', '/.local/', '/.bundle-meta/', '/tsconfig.dev.json', '/rosetta/'] },
});

configurePackageExports(project);
configureHandlerBundles(project);
configureTests(project);
configureMainJob(project);
configureBenchmarks(project);
project.synth();

/** `cdk-fast-lex` is the jsii assembly; `/runtime` and `/testing` are Node-only subpaths with their own types. */
function configurePackageExports(p: awscdk.AwsCdkConstructLibrary) {
  p.package.addField('exports', {
    '.': { types: './lib/index.d.ts', default: './lib/index.js' },
    './runtime': { types: './lib/runtime/index.d.ts', default: './lib/runtime/index.js' },
    './runtime/salesforce': { types: './lib/runtime/salesforce/index.d.ts', default: './lib/runtime/salesforce/index.js' },
    './runtime/workflow': { types: './lib/runtime/workflow/index.d.ts', default: './lib/runtime/workflow/index.js' },
    './testing': { types: './lib/testing/index.d.ts', default: './lib/testing/index.js' },
    './package.json': './package.json',
    './.jsii': './.jsii',
  });
  // npm 11 blocks install scripts unless allowed: `node` must fetch its Node 24 binary, esbuild its native binary.
  p.package.addField('allowScripts', { 'node': true, 'esbuild': true, 'core-js': false, 'core-js-pure': false, 'classic-level': false });
  // Needed only by Lambda authors who import `cdk-fast-lex/runtime` or `/testing` (see RUNTIME_PACKAGES).
  p.package.addField('cdkFastLex', {
    runtimePackages: Object.fromEntries(RUNTIME_PACKAGES.map((spec) => [spec.slice(0, spec.lastIndexOf('@')), spec.slice(spec.lastIndexOf('@') + 1)])),
  });
}

/**
 * Handlers are bundled at build time into `assets/handlers/<name>/index.js` and shipped in the npm package, so
 * no consumer (Python above all) needs esbuild or Docker at synth. The AWS SDK is bundled too: see README.
 */
function configureHandlerBundles(p: awscdk.AwsCdkConstructLibrary) {
  const bundle = p.addTask('bundle', {
    description: 'Bundle the Lambda handlers into assets/handlers (esbuild, minified, sourcemaps, node24)',
    exec: 'tsx scripts/bundle-handlers.ts',
  });
  bundle.exec('tsx scripts/bundle-web-chat.ts'); // the chat page LexWebChat deploys: assets/web-chat
  p.preCompileTask.spawn(bundle);
  p.addPackageIgnore('!/assets/');
}

/** Benchmarks print figures and write bench/results/<name>.json; they assert nothing about time. */
function configureBenchmarks(p: awscdk.AwsCdkConstructLibrary) {
  for (const name of ['cache', 'salesforce', 'fulfillment', 'workflow', 'lex-stand-in', 'web-chat']) {
    const task = p.addTask(`bench:${name}`, { description: `Benchmark: ${name} (writes bench/results/${name}.json)` });
    if (name === 'fulfillment') task.spawn(p.tasks.tryFind('bundle')!); // measures the handler as shipped
    if (name === 'web-chat') {
      task.spawn(p.tasks.tryFind('pre-compile')!); // the bundles
      task.spawn(p.compileTask); // the example it runs imports the built package
      task.exec('bash scripts/setup-browser.sh');
    }
    task.exec(`tsx bench/${name}.ts`, { receiveArgs: true });
  }
}

/** `npm test`: build the package exactly as it ships, then run every vitest suite with coverage. */
function configureTests(p: awscdk.AwsCdkConstructLibrary) {
  // Every @example and README snippet must compile (and is translated to Python for the wheel's docs).
  const rosetta = p.addTask('rosetta:extract', { description: 'Compile the documentation examples with jsii-rosetta', exec: 'jsii-rosetta extract --strict' });
  p.postCompileTask.spawn(rosetta);
  p.testTask.reset();
  p.testTask.spawn(p.tasks.tryFind('pre-compile')!);
  p.testTask.spawn(p.compileTask);
  p.testTask.spawn(rosetta);
  p.testTask.spawn(p.tasks.tryFind('package-all')!);
  p.testTask.exec('bash scripts/setup-python.sh'); // moto server and cfn-lint, in .venv
  p.testTask.exec('bash scripts/setup-browser.sh'); // Debian's chromium for the web chat browser test
  p.testTask.exec('tsc --noEmit -p tsconfig.dev.json');
  p.testTask.exec('vitest run --coverage', { receiveArgs: true });
  p.addTask('test:unit', { description: 'Run vitest without rebuilding the package', exec: 'vitest run', receiveArgs: true });
  p.addTask('test:watch', { exec: 'vitest' });
  p.package.file.patch(JsonPatch.add('/scripts/test', 'projen test'));
}

/** The README's first command: build, synthesize the Atlas Engine example, check it, simulate it offline. */
function configureMainJob(p: awscdk.AwsCdkConstructLibrary) {
  const main = p.addTask('atlas', {
    description: 'Build the library, synthesize and check the Atlas Engine example, then run it offline',
  });
  main.spawn(p.tasks.tryFind('pre-compile')!);
  main.spawn(p.compileTask);
  main.exec('bash scripts/setup-python.sh'); // moto server (SQS, Secrets Manager) and cfn-lint, in .venv
  main.exec('tsx examples/atlas-engine/bin/main.ts', { receiveArgs: true });
}
