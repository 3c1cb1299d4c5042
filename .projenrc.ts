// The project definition of cdk-fast-lex: run `npx projen` after editing it.
import { awscdk, javascript, JsonPatch, type Task } from 'projen';

// Versions in one place.
const CDK_VERSION = '2.275.0'; // the newest aws-cdk-lib on both npm and PyPI (Python users pin it too); has NODEJS_24_X and Validations
const CONSTRUCTS_VERSION = '10.5.1';
const JSII_VERSION = '~6.0.0'; // jsii 6 compiles with TypeScript 6.0
const TYPESCRIPT_VERSION = '~6.0.0'; // matches jsii
const NODE_VERSION = '24'; // Node 20 is end of life: every npm script runs on the Node 24 that `node@24` installs
const AWS_SDK_VERSION = '^3'; // the clients are versioned apart; the lock file pins what we test
const VITEST_VERSION = '^4.1.12'; // vitest 5's coverage plugin needs a package the registry does not serve yet

// Third-party packages of `cdk-fast-lex/runtime` and `cdk-fast-lex/testing`, in one table: `accepts` is the range a
// Lambda author may install (listed for them under `cdkFastLex.runtimePackages` in package.json), `testsWith` the
// range we build and test with (a devDependency). They are bundled into the prebundled handlers, so neither the jsii
// assembly nor the Python wheel carries them; jsii refuses non-jsii peer dependencies, so they cannot be peers, and a
// missing one fails with Node's MODULE_NOT_FOUND naming it.
interface RuntimePackage { readonly name: string; readonly accepts: string; readonly testsWith: string; readonly role: 'runtime' | 'testing'; readonly why?: string }
const RUNTIME_PACKAGES: readonly RuntimePackage[] = [
  { name: '@aws-sdk/client-bedrock-runtime', accepts: AWS_SDK_VERSION, testsWith: '^3.1164.0', role: 'runtime' },
  { name: '@aws-sdk/client-connect', accepts: AWS_SDK_VERSION, testsWith: '^3.1136.0', role: 'runtime' },
  { name: '@aws-sdk/client-dynamodb', accepts: AWS_SDK_VERSION, testsWith: '^3.1169.0', role: 'runtime' },
  { name: '@aws-sdk/client-secrets-manager', accepts: AWS_SDK_VERSION, testsWith: '^3.1164.0', role: 'runtime' },
  { name: '@aws-sdk/client-sfn', accepts: AWS_SDK_VERSION, testsWith: '^3.1164.0', role: 'runtime' },
  { name: '@aws-sdk/client-sqs', accepts: AWS_SDK_VERSION, testsWith: '^3.1164.0', role: 'runtime' },
  { name: '@aws-sdk/lib-dynamodb', accepts: AWS_SDK_VERSION, testsWith: '^3.1169.0', role: 'runtime' },
  { name: '@aws-sdk/client-lex-runtime-v2', accepts: AWS_SDK_VERSION, testsWith: '^3.1048.0', role: 'runtime', why: "the web chat proxy's RecognizeText (and the example's `--remote` mode)" },
  { name: '@smithy/node-http-handler', accepts: '^4.0.0', testsWith: '^4.0.0', role: 'runtime', why: "the web chat proxy's HTTP/1.1 Lex client; tests force HTTP/1.1 against the stand-ins" },
  { name: '@smithy/core', accepts: '^3.33.2', testsWith: '^3.41.1', role: 'testing', why: "the Bedrock stand-in frames ConverseStream events with the SDK's own codec, `@smithy/core/event-streams` (where @smithy/eventstream-codec now lives)" },
  { name: 'jsforce', accepts: '^3.10.17', testsWith: '^3.10.26', role: 'runtime', why: '3.10.17 is the first that runs on Node 22' },
  { name: 'undici', accepts: '^8.0.0', testsWith: '^8.0.0', role: 'runtime', why: "jsforce's HTTP client: the Salesforce client and stand-in pass it a TLS-aware dispatcher" },
  { name: 'lru-cache', accepts: '^11.0.0', testsWith: '^11.5.3', role: 'runtime' },
  { name: 'libphonenumber-js', accepts: '^1.12.0', testsWith: '^1.13.16', role: 'runtime' },
  { name: '@aws-lambda-powertools/metrics', accepts: '^2.30.0', testsWith: '^2.36.0', role: 'runtime' },
  { name: '@aws-lambda-powertools/logger', accepts: '^2.30.0', testsWith: '^2.36.0', role: 'runtime' },
  { name: 'wink-porter2-stemmer', accepts: '^2.0.1', testsWith: '^2.0.1', role: 'runtime', why: "the question matcher's stemmer (Porter2, English; MIT, CommonJS, about 4 KB minified)" },
  { name: 'dynalite', accepts: '^4.0.0', testsWith: '^4.0.0', role: 'testing' },
  { name: 'aws-local-stepfunctions', accepts: '^3.0.0', testsWith: '^3.0.0', role: 'testing' },
  { name: 'chrono-node', accepts: '^2.10.0', testsWith: '^2.10.3', role: 'testing', why: 'the Lex stand-in reads AMAZON.Date values' },
  { name: 'fastest-levenshtein', accepts: '^1.0.16', testsWith: '^1.0.16', role: 'testing', why: "the Lex stand-in's fuzzy intent matching" },
  { name: 'city-timezones', accepts: '^1.3.0', testsWith: '^1.3.4', role: 'testing', why: "the Lex stand-in's AMAZON.City gazetteer (MIT, no dependencies)" },
];

/**
 * The package's subpaths: `cdk-fast-lex` is the jsii assembly; the rest are Node-only, with their own types. Each
 * runtime feature has its own subpath (as Powertools Parameters does), and `/runtime` holds the names a Lambda
 * author starts with.
 */
const SUBPATHS: Record<string, string> = {
  '.': 'index',
  './runtime': 'runtime/index',
  './runtime/lex': 'runtime/lex/index',
  './runtime/cache': 'runtime/cache/index',
  './runtime/secrets': 'runtime/secrets/index',
  './runtime/bedrock': 'runtime/bedrock/index',
  './runtime/salesforce': 'runtime/salesforce/index', // jsforce, undici
  './runtime/workflow': 'runtime/workflow/index', // libphonenumber-js
  './runtime/web-chat': 'runtime/web-chat/index', // the web chat proxy for a Lambda function URL
  './runtime/errors': 'runtime/errors',
  './testing': 'testing/index',
  './report': 'report/index', // the latency report, for `npm run atlas` and tools that write measured figures
};

// Build output and local tools that never enter git.
const GIT_IGNORED = [
  '/bench/results/*.tmp', // a benchmark's partial results while it runs
  '/coverage/', // vitest coverage
  '/.venv*', // moto server and cfn-lint (scripts/setup-python.sh)
  '/test/python/.venv/', // the Python consumer test's virtualenv
  '/examples/atlas-engine/cdk.out/', // the example's cloud assembly, synthesized by `npm run atlas` and the tests
  '/.local/', // local scratch of the tests
  '/.bundle-meta/', // esbuild metafiles behind the bundle-size figures
  '/assets/', // the prebundled handlers, built in pre-compile
  '/.jsii.tabl.json', // jsii-rosetta's translation cache
  '/test-output/', // the browser test's screenshots
];

// What stays out of the npm package: the project's own tooling (the handlers in assets/ go in).
const NPM_IGNORED = [
  '/bench/', '/scripts/', '/examples/', '/rosetta/', '/.ci/', '/docs/', // benchmarks, build scripts, the example, CI, pictures
  '/coverage/', '/.venv/', '/.local/', '/.bundle-meta/', // local output
  '/vitest.config.mts', '/tsconfig.dev.json', // test configuration
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
    '@types/aws-lambda@^8.10.0',
    'tsx@^4.19.0',
    '@aws-sdk/client-cloudwatch@^3.1164.0', // `cdk-fast-lex report --from-cloudwatch` (loaded only then)
    'playwright-core@^1.65.0', // drives Debian's chromium in the web chat browser test (Apache-2.0; downloads nothing)
    // What we build and test the runtime and the test kit against (RUNTIME_PACKAGES: the ranges we accept).
    ...RUNTIME_PACKAGES.map((pkg) => `${pkg.name}@${pkg.testsWith}`),
  ],

  tsconfigDevFile: 'tsconfig.dev.json', // type-checks tests, benchmarks, scripts and the example
  tsconfigDev: {
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'vitest.config.mts'],
    compilerOptions: { types: ['node'] },
  },
  gitignore: GIT_IGNORED,
  npmIgnoreOptions: { ignorePatterns: NPM_IGNORED },
});

configurePackageExports(project);
const bundleTask = configureHandlerBundles(project);
configureTests(project);
configureMainJob(project);
configureBenchmarks(project, bundleTask);
project.synth();

function configurePackageExports(p: awscdk.AwsCdkConstructLibrary) {
  p.package.addField('exports', {
    ...Object.fromEntries(Object.entries(SUBPATHS).map(([subpath, file]) => [subpath, { types: `./lib/${file}.d.ts`, default: `./lib/${file}.js` }])),
    './package.json': './package.json',
    './.jsii': './.jsii',
  });
  // npm 11 blocks install scripts unless allowed: `node` must fetch its Node 24 binary, esbuild its native binary.
  p.package.addField('allowScripts', { 'node': true, 'esbuild': true, 'core-js': false, 'core-js-pure': false, 'classic-level': false });
  // Needed only by Lambda authors who import `cdk-fast-lex/runtime` or `/testing` (see RUNTIME_PACKAGES).
  p.package.addField('cdkFastLex', {
    runtimePackages: Object.fromEntries(RUNTIME_PACKAGES.map((pkg) => [pkg.name, pkg.accepts])),
  });
}

/**
 * Handlers are bundled at build time into `assets/handlers/<name>/index.js` and shipped in the npm package, so
 * no consumer (Python above all) needs esbuild or Docker at synth. The AWS SDK is bundled too: see README.
 */
function configureHandlerBundles(p: awscdk.AwsCdkConstructLibrary): Task {
  const bundle = p.addTask('bundle', {
    description: 'Bundle the Lambda handlers into assets/handlers (esbuild, minified, sourcemaps, node24)',
    exec: 'tsx scripts/bundle-handlers.ts',
  });
  bundle.exec('tsx scripts/bundle-web-chat.ts'); // the chat page LexWebChat deploys: assets/web-chat
  p.preCompileTask.spawn(bundle);
  p.addPackageIgnore('!/assets/');
  return bundle;
}

/** Benchmarks print figures and write bench/results/<name>.json; they assert nothing about time. */
function configureBenchmarks(p: awscdk.AwsCdkConstructLibrary, bundle: Task) {
  for (const name of ['cache', 'salesforce', 'fulfillment', 'workflow', 'lex-stand-in', 'web-chat', 'faults', 'questions', 'bedrock-stand-in', 'fast-lex-bot']) {
    const task = p.addTask(`bench:${name}`, { description: `Benchmark: ${name} (writes bench/results/${name}.json)` });
    if (name === 'fulfillment' || name === 'faults' || name === 'fast-lex-bot') task.spawn(bundle); // measures the handlers as shipped
    if (name === 'web-chat') {
      task.spawn(p.preCompileTask); // the bundles
      task.spawn(p.compileTask); // the example it runs imports the built package
      task.exec('bash scripts/setup-browser.sh');
    }
    task.exec(`tsx bench/${name}.ts`, { receiveArgs: true });
  }
  // The README's Measured table comes from one run at one machine load: these, one after another.
  const table = p.addTask('bench:readme', { description: "Benchmarks behind the README's Measured table, in one run" });
  for (const name of ['fulfillment', 'cache', 'salesforce', 'workflow', 'faults']) table.spawn(p.tasks.tryFind(`bench:${name}`)!);
}

/** `npm test`: build the package exactly as it ships, then run every vitest suite with coverage. */
function configureTests(p: awscdk.AwsCdkConstructLibrary) {
  // Every @example and README snippet must compile (and is translated to Python for the wheel's docs).
  const rosetta = p.addTask('rosetta:extract', { description: 'Compile the documentation examples with jsii-rosetta', exec: 'jsii-rosetta extract --strict' });
  p.postCompileTask.spawn(rosetta);
  p.testTask.reset();
  p.testTask.spawn(p.preCompileTask);
  p.testTask.spawn(p.compileTask);
  p.testTask.spawn(rosetta);
  p.testTask.spawn(projenTask(p, 'package-all'));
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
  main.spawn(p.preCompileTask);
  main.spawn(p.compileTask);
  main.exec('bash scripts/setup-python.sh'); // moto server (SQS, Secrets Manager) and cfn-lint, in .venv
  main.exec('tsx examples/atlas-engine/bin/main.ts', { receiveArgs: true });
}

/** A task projen's jsii build creates without exposing it as a property. */
function projenTask(p: awscdk.AwsCdkConstructLibrary, name: string): Task {
  const task = p.tasks.tryFind(name);
  if (!task) throw new Error(`projen no longer creates the '${name}' task: update .projenrc.ts`);
  return task;
}
