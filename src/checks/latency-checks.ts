// LatencyChecks: a rule pack that finds, at synth time and in any CDK app, the infrastructure choices that make a
// bot slow ($LATEST code hooks, cold starts, 128 MB functions, sequential workflows, callbacks in Express workflows).
//
// Why a plain `IPolicyValidationPlugin` rather than a cdk-nag `NagPack` or an `IAspect`:
// - cdk-nag 3's `NagPack` is itself an `IPolicyValidationPlugin` whose acknowledgements are the CDK's own
//   `Validations.of(scope).acknowledge({ id, reason })` metadata. Implementing the same interface from aws-cdk-lib gives
//   users exactly the same integration (`Validations.of(app).addPlugins(new LatencyChecks())`, the same
//   `acknowledge` call, a `validateScope(scope)` for tests) without making cdk-nag a peer dependency of this jsii
//   library, which every Python and TypeScript consumer would then have to install; extending `NagPack` from a
//   devDependency would not even compile under jsii.
// - Our rules are about relations between resources (an alias and the function it names, a role and its function), so
//   they read the whole template, which a per-resource `NagPack.checkResource` or an `IAspect.visit` would have to
//   rebuild anyway; the rule functions in `rules.ts` run unchanged on a synthesized template for the report.
// - An `IAspect` runs before synthesis finishes (values may still be lazy) and has no acknowledgement mechanism.
import * as fs from 'fs';
import * as path from 'path';
import {
  CfnResource, Duration, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport,
  PolicyViolation, Size, Stack, Stage,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DEFAULT_RULE_OPTIONS, Finding, RuleOptions, RULES, runRules } from './rules';
import { JsonObject, TemplateModel } from './template-model';
import { acknowledgementsOfConstruct } from './acknowledgements';

/** Thresholds of the latency checks. */
export interface LatencyChecksProps {
  /**
   * Smallest memory size for a function on the conversation path (rule FastLex-L3).
   * @default 256
   */
  readonly minimumMemoryMb?: number;

  /**
   * Longest timeout for a function on the conversation path (rule FastLex-L5). Lex waits 30 s for a code hook.
   * @default Duration.seconds(30)
   */
  readonly maximumTimeout?: Duration;

  /**
   * Largest code plus layers of a function on the conversation path (rule FastLex-L6), measured uncompressed.
   * @default Size.mebibytes(10)
   */
  readonly sizeBudget?: Size;
}

/** One rule of the pack. */
export interface LatencyRule {
  /** Rule id, to use with `Validations.of(scope).acknowledge({ id, reason })`. */
  readonly id: string;
  /** `error` or `warning`. */
  readonly severity: string;
  /** What the rule finds. */
  readonly title: string;
  /** Why it matters and how to fix it. */
  readonly explanation: string;
}

/** The plugin name, which is also the namespace CDK gives acknowledgements of its rules (`FastLex::FastLex-L1`). */
const PLUGIN_NAME = 'FastLex';

/**
 * Latency rules for Lex bots, Lambda functions and Step Functions workflows. Works on any CDK app: it reads the
 * CloudFormation resources, not our constructs.
 *
 * Acknowledge a finding with a reason on the resource or any construct above it:
 * `Validations.of(fn).acknowledge({ id: 'FastLex-L4', reason: 'native x86 dependency' })`. An acknowledgement with a
 * blank reason does not count.
 *
 * @example
 * import { App, Validations } from 'aws-cdk-lib';
 *
 * const app = new App();
 * Validations.of(app).addPlugins(new LatencyChecks());
 * // Acknowledge a finding where it is deliberate, with the reason:
 * // Validations.of(myFunction).acknowledge({ id: 'FastLex-L4', reason: 'a native x86 dependency' });
 */
export class LatencyChecks implements IPolicyValidationPlugin {
  /** The rules of the pack, with their severity and explanation. */
  public static rules(): LatencyRule[] {
    return RULES.map((r) => ({ id: r.id, severity: r.severity, title: r.title, explanation: r.explanation }));
  }

  /**
   * The findings under `scope` that no acknowledgement covers, as `RuleId constructPath: detail` lines, sorted.
   * A one-line assertion for tests: `expect(LatencyChecks.unacknowledgedFindings(stack)).toEqual([])`.
   */
  public static unacknowledgedFindings(scope: IConstruct, props?: LatencyChecksProps): string[] {
    const report = new LatencyChecks(props).validateScope(scope);
    return report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? r.resourceLogicalId}: ${v.description}`),
    ).sort();
  }

  public readonly name = PLUGIN_NAME;
  /** The ids of the rules this pack evaluates. */
  public readonly ruleIds?: string[] = RULES.map((r) => r.id);
  private readonly options: RuleOptions;

  constructor(props: LatencyChecksProps = {}) {
    this.options = {
      minimumMemoryMb: props.minimumMemoryMb ?? DEFAULT_RULE_OPTIONS.minimumMemoryMb,
      maximumTimeoutSeconds: props.maximumTimeout?.toSeconds() ?? DEFAULT_RULE_OPTIONS.maximumTimeoutSeconds,
      sizeBudgetBytes: props.sizeBudget?.toBytes() ?? DEFAULT_RULE_OPTIONS.sizeBudgetBytes,
    };
  }

  /** Called by the CDK during synthesis. Reads the construct tree when given, otherwise the synthesized templates. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    if (context.appConstruct) return this.validateScope(context.appConstruct);
    const violations: PolicyViolation[] = [];
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(fs.readFileSync(templatePath, 'utf8')) as JsonObject;
      const model = new TemplateModel({
        stackName: path.basename(templatePath, '.template.json'),
        resources: (template.Resources ?? {}) as JsonObject,
        assetDir: path.dirname(templatePath),
      });
      violations.push(...this.toViolations(model, (id) => ({ resourceLogicalId: id, templatePath })));
    }
    return report(violations);
  }

  /** Checks every stack under `scope` (or the stack that holds it) directly; the entry point for tests. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    const stacks = scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    if (stacks.length === 0) stacks.push(Stack.of(scope));
    const violations: PolicyViolation[] = [];
    for (const stack of stacks) {
      const { model, paths } = modelOfStack(stack);
      violations.push(...this.toViolations(model, (id) => ({ resourceLogicalId: id, constructPath: paths.get(id) })));
    }
    return report(violations);
  }

  private toViolations(
    model: TemplateModel,
    where: (logicalId: string) => { resourceLogicalId: string; constructPath?: string; templatePath?: string },
  ): PolicyViolation[] {
    return runRules(model, this.options).flatMap((f: Finding) => {
      const reason = model.acknowledgement(f.logicalId, f.ruleId);
      if (reason !== undefined && reason.trim() !== '') return [];
      const blank = reason !== undefined ? ' (acknowledged without a reason, which does not count: give one)' : '';
      const info = RULES.find((r) => r.id === f.ruleId)!;
      return [{
        ruleName: f.ruleId,
        description: `${info.title}: ${f.message}${blank}`,
        fix: info.explanation,
        severity: f.severity,
        violatingResources: [{ ...where(f.logicalId), locations: ['Properties'] }],
      }];
    });
  }
}

function report(violations: PolicyViolation[]): PolicyValidationPluginReport {
  return { success: violations.every((v) => v.severity !== 'error'), violations };
}

/**
 * Renders one stack of a construct tree into the template the rules read: each CfnResource resolved in its stack, the
 * acknowledgements on it and its ancestors, and where its staged assets are.
 */
function modelOfStack(stack: Stack): { model: TemplateModel; paths: Map<string, string> } {
  const resources: JsonObject = {};
  const paths = new Map<string, string>();
  const acknowledgements = new Map<string, Map<string, string>>();
  for (const c of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
    const rendered = stack.resolve((c as unknown as { _toCloudFormation(): JsonObject })._toCloudFormation()) as JsonObject;
    for (const [logicalId, body] of Object.entries((rendered.Resources ?? {}) as JsonObject)) {
      resources[logicalId] = body;
      paths.set(logicalId, c.node.path);
      acknowledgements.set(logicalId, acknowledgementsOfConstruct(c));
    }
  }
  const model = new TemplateModel({
    stackName: stack.stackName,
    resources,
    assetDir: Stage.of(stack)?.assetOutdir,
    acknowledgements,
  });
  return { model, paths };
}
