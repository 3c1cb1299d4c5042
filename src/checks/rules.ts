// The latency rules as plain functions over a template: the same logic serves the synth-time check on a construct tree
// and the report on a synthesized cloud assembly.
import { independentPairs, integrationPattern, allStates, machineType, parseDefinition } from './asl';
import {
  dig, flatten, FunctionFacts, grants, isObject, Qualifier, TemplateModel, TemplateResource,
} from './template-model';
import { CACHE_GENERATED_AT_ATTRIBUTE, CACHE_INTENT_ATTRIBUTE, CACHE_PARTITION_KEY, CACHE_SORT_KEY } from '../shared/cache-schema';
import { SHORT_ANSWER_RULE_EXPLANATION, shortAnswersAtDefault } from './voice-rules';

/** A rule's description. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly title: string;
  readonly explanation: string;
}

/** Thresholds the rules use. */
export interface RuleOptions {
  readonly minimumMemoryMb: number;
  readonly maximumTimeoutSeconds: number;
  readonly sizeBudgetBytes: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  minimumMemoryMb: 256,
  maximumTimeoutSeconds: 30,
  sizeBudgetBytes: 10 * 1024 * 1024,
};

/** One rule firing on one resource. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  readonly logicalId: string;
  readonly message: string;
}

export const RULES: RuleInfo[] = [
  {
    id: 'FastLex-L1',
    severity: 'error',
    title: 'A Lex bot alias code hook names an unqualified function ARN ($LATEST)',
    explanation: 'An unqualified ARN (or one ending in :$LATEST) always runs $LATEST, and provisioned concurrency can ' +
      'only be configured on a version or an alias, so every turn that lands on a new execution environment pays a ' +
      'full cold start while a person waits, however many versions have provisioned instances. Fix: create a ' +
      'lambda.Alias on fn.currentVersion with provisionedConcurrentExecutions, grant lexv2.amazonaws.com permission on ' +
      'the alias, and set codeHookSpecification.lambdaCodeHook.lambdaArn to the alias ARN.',
  },
  {
    id: 'FastLex-L2',
    severity: 'warning',
    title: 'A Lex bot alias code hook names an alias or version without provisioned concurrency',
    explanation: 'The code hook is qualified, but nothing keeps execution environments warm for it, so on a bot with ' +
      'bursty traffic about one turn in three waits 3-5 s for a cold start. Fix: set provisionedConcurrentExecutions on ' +
      'the alias (at least 1, 2 for redundancy), and scale it with alias.addAutoScaling(...).scaleOnUtilization(...).',
  },
  {
    id: 'FastLex-L3',
    severity: 'warning',
    title: 'A function on the conversation path has less than 256 MB of memory',
    explanation: 'Lambda allocates CPU in proportion to memory: 128 MB gets a fraction of a vCPU, and Lex ' +
      'handlers run about 1.5x faster at 256 MB and 2x at 512 MB, for a cost that barely changes because the ' +
      'invocation finishes sooner. Fix: give functions that Lex invokes at least 256 MB (512 MB is a good start).',
  },
  {
    id: 'FastLex-L4',
    severity: 'warning',
    title: 'A function on the conversation path runs on x86_64',
    explanation: 'Arm64 (Graviton) costs about 20 % less per GB-second, provisioned concurrency included, and Node.js ' +
      'handlers run on it unchanged. Fix: architecture: lambda.Architecture.ARM_64, or acknowledge this rule with the ' +
      'reason (a native x86-only dependency, for example).',
  },
  {
    id: 'FastLex-L5',
    severity: 'warning',
    title: 'A function on the conversation path has a timeout above 30 seconds',
    explanation: 'Lex waits at most 30 s for a fulfillment code hook, so a longer timeout only lets a stuck invocation ' +
      'keep billing after the user has been given an error. Fix: a timeout at or below 30 s (the answer should take ' +
      'well under a second), and move slow work (generation, CRM calls) to an asynchronous path.',
  },
  {
    id: 'FastLex-L6',
    severity: 'warning',
    title: 'Code plus layers of a function on the conversation path exceed the size budget',
    explanation: 'Every cold start downloads and unpacks the code and each layer before the handler runs: 31 MB ' +
      'of layers cost about 1.9 s of its 3.2 s cold start. Fix: bundle and tree-shake the handler (esbuild), drop ' +
      'unused layers, and keep the conversation path warm with provisioned concurrency. Sizes come from the staged ' +
      'assets in the cloud assembly (uncompressed) or from cdk-fast-lex:sizeBytes metadata; layers outside the app ' +
      'have no known size and are not counted.',
  },
  {
    id: 'FastLex-L7',
    severity: 'error',
    title: 'An Express state machine contains a .waitForTaskToken or .sync task',
    explanation: 'Express workflows support only the request/response integration pattern and run at most 5 minutes: ' +
      'CloudFormation accepts the definition but the execution fails. Fix: use a STANDARD state machine for anything ' +
      'that waits on a callback or a job (a phone call can outlast 5 minutes), or drive the completion step from an ' +
      'event instead of a task token.',
  },
  {
    id: 'FastLex-L8',
    severity: 'warning',
    title: 'Consecutive Task states with no data dependency could run in parallel',
    explanation: 'When a Task\'s input does not read the previous Task\'s result, running them one after the other adds ' +
      'the first one\'s latency to the critical path for nothing (a workflow that runs CreateLead and GenerateScenario in ' +
      'sequence). Fix: put them in a Parallel state. Heuristic: the second Task\'s InputPath/Parameters/Arguments do ' +
      'not mention the first one\'s ResultPath and the first one does not replace the whole state; acknowledge the ' +
      'rule with the reason when the order matters for another cause (a side effect, a rate limit).',
  },
  {
    id: 'FastLex-L9',
    severity: 'warning',
    title: 'A DynamoDB table that looks like a response cache has no TTL attribute',
    explanation: 'Without TimeToLiveSpecification, stale cached answers are never deleted: the table grows forever and ' +
      'the code must filter old items itself. Fix: set timeToLiveAttribute (and still check expiry in code, because ' +
      'TTL deletion can lag up to 48 h). Heuristic: the logical id, table name, a key or an index name contains ' +
      '"cache", or the table has the cdk-fast-lex cache schema (PK, SK and an index on intent + generatedAt).',
  },
  {
    id: 'FastLex-L10',
    severity: 'warning',
    title: 'A function reads Secrets Manager with no caching layer or cache-aware runtime',
    explanation: 'A GetSecretValue call on every invocation costs about 300 ms and a charge per ' +
      '10,000 calls. Fix: cache the secret in module scope with a refresh (the cdk-fast-lex runtime does, and marks ' +
      'its functions with the FAST_LEX_RUNTIME environment variable), or add the AWS Parameters and Secrets Lambda ' +
      'Extension layer. Heuristic: the role can call secretsmanager:GetSecretValue and the function has neither the ' +
      'marker nor the extension layer; acknowledge with the reason if your code caches the secret another way.',
  },
  {
    id: 'FastLex-L11',
    severity: 'warning',
    title: 'A bot Amazon Connect calls leaves a short-answer slot at Lex\'s default end-of-speech silence',
    explanation: SHORT_ANSWER_RULE_EXPLANATION,
  },
];

export function ruleInfo(id: string): RuleInfo {
  const info = RULES.find((r) => r.id === id);
  if (!info) throw new Error(`unknown latency rule ${id}`);
  return info;
}

const DYNAMODB_READS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];

/** Whether a DynamoDB table looks like a response cache (see FastLex-L9). */
export function isCacheLikeTable(t: TemplateResource): boolean {
  const p = t.properties;
  const keys = (Array.isArray(p.KeySchema) ? p.KeySchema : []).map((k) => flatten(dig(k, 'AttributeName')));
  const indexes = (Array.isArray(p.GlobalSecondaryIndexes) ? p.GlobalSecondaryIndexes : []);
  const indexNames = indexes.map((i) => flatten(dig(i, 'IndexName')));
  const names = [t.logicalId, flatten(p.TableName), ...keys, ...indexNames];
  if (names.some((n) => /cache/i.test(n))) return true;
  const indexKeys = indexes.flatMap((i) => {
    const schema = dig(i, 'KeySchema');
    return Array.isArray(schema) ? schema.map((k) => flatten(dig(k, 'AttributeName'))) : [];
  });
  return keys.includes(CACHE_PARTITION_KEY) && keys.includes(CACHE_SORT_KEY)
    && indexKeys.includes(CACHE_INTENT_ATTRIBUTE) && indexKeys.includes(CACHE_GENERATED_AT_ATTRIBUTE);
}

/** Whether a function's role can read a cache-like table of this template. */
export function readsCacheTable(model: TemplateModel, facts: FunctionFacts): boolean {
  return grants(facts, DYNAMODB_READS, (id) => {
    const t = model.get(id, 'AWS::DynamoDB::Table') ?? model.get(id, 'AWS::DynamoDB::GlobalTable');
    return t !== undefined && isCacheLikeTable(t);
  });
}

/** Whether a function reads Secrets Manager without a cache (see FastLex-L10). */
export function readsSecretsUncached(facts: FunctionFacts): boolean {
  return grants(facts, ['secretsmanager:GetSecretValue']) && !facts.runtimeMarker && !facts.secretsExtension;
}

/** Runs every rule on a template. Acknowledgements are not applied here: the caller decides. */
export function runRules(model: TemplateModel, options: RuleOptions = DEFAULT_RULE_OPTIONS): Finding[] {
  const findings: Finding[] = [];
  const add = (ruleId: string, logicalId: string, message: string) =>
    findings.push({ ruleId, severity: ruleInfo(ruleId).severity, logicalId, message });

  for (const alias of model.ofType('AWS::Lex::BotAlias')) {
    for (const hook of model.codeHooks(alias)) {
      const t = model.functionTarget(hook);
      const name = t.functionId ?? t.text;
      if (t.qualifier === Qualifier.NONE || t.qualifier === Qualifier.LATEST) {
        add('FastLex-L1', alias.logicalId, `code hook invokes ${name} unqualified ($LATEST)`);
      } else if (t.qualifier === Qualifier.LOCAL && t.provisioned <= 0) {
        add('FastLex-L2', alias.logicalId, `code hook invokes ${t.qualifierId} of ${name}, which has no provisioned concurrency`);
      }
    }
  }

  for (const [fnId] of model.conversationFunctions()) {
    const fn = model.get(fnId, 'AWS::Lambda::Function');
    if (!fn) continue;
    const f = model.functionFacts(fn);
    if (f.memoryMb < options.minimumMemoryMb) add('FastLex-L3', fnId, `${f.memoryMb} MB of memory (< ${options.minimumMemoryMb} MB)`);
    if (f.architecture !== 'arm64') add('FastLex-L4', fnId, `architecture ${f.architecture}`);
    if (f.timeoutSeconds > options.maximumTimeoutSeconds) add('FastLex-L5', fnId, `timeout ${f.timeoutSeconds} s (> ${options.maximumTimeoutSeconds} s)`);
    const total = (f.codeBytes ?? 0) + f.layerBytes;
    if (total > options.sizeBudgetBytes) {
      add('FastLex-L6', fnId, `code and layers ${(total / 1048576).toFixed(1)} MB (> ${(options.sizeBudgetBytes / 1048576).toFixed(1)} MB)`);
    }
  }

  for (const sm of model.ofType('AWS::StepFunctions::StateMachine')) {
    const machine = parseDefinition(sm);
    if (!machine) continue;
    if (machineType(sm) === 'EXPRESS') {
      const waiting = allStates(machine).filter((s) => s.body.Type === 'Task' && integrationPattern(s) !== 'request-response');
      if (waiting.length > 0) {
        add('FastLex-L7', sm.logicalId, `EXPRESS workflow with ${waiting.map((s) => `${s.name} (${flatten(s.body.Resource).split('.').pop()})`).join(', ')}`);
      }
    }
    const pairs = independentPairs(machine);
    if (pairs.length > 0) {
      add('FastLex-L8', sm.logicalId, `independent consecutive tasks: ${pairs.map(([a, b]) => `${a.name} -> ${b.name}`).join(', ')}`);
    }
  }

  for (const table of [...model.ofType('AWS::DynamoDB::Table'), ...model.ofType('AWS::DynamoDB::GlobalTable')]) {
    const ttl = table.properties.TimeToLiveSpecification;
    const enabled = isObject(ttl) && (ttl.Enabled === true || ttl.Enabled === 'true');
    if (isCacheLikeTable(table) && !enabled) add('FastLex-L9', table.logicalId, 'response-cache-like table without TTL');
  }

  for (const fn of model.ofType('AWS::Lambda::Function')) {
    const f = model.functionFacts(fn);
    if (readsSecretsUncached(f)) add('FastLex-L10', fn.logicalId, 'secretsmanager:GetSecretValue without a secrets cache');
  }

  for (const slot of shortAnswersAtDefault(model)) {
    add('FastLex-L11', slot.botLogicalId, `slot ${slot.intentName}.${slot.slotName} (${slot.slotTypeName}) waits Lex's default 600 ms after each answer on a call`);
  }
  return findings;
}

