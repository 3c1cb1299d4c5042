// Shared assertions for construct tests: cdk-nag AwsSolutions findings and snapshot normalisation.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * The AwsSolutions findings of a stack that no `Validations.of(...).acknowledge(...)` covers, as
 * `RuleId path` lines (the construct path, else the logical id), so a failing test shows exactly what to fix or justify.
 */
export function unacknowledgedNagFindings(stack: Stack): string[] {
  Template.fromStack(stack); // synthesize first, so aspects and lazy values have run
  const report = new AwsSolutionsChecks(stack).validateScope(stack);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? r.resourceLogicalId}`),
  ).sort();
}

const HASH = /[a-f0-9]{64}/g;
// Lambda version logical ids end with a hash of the function's code: `...CurrentVersion<8 hex><32 hex>`.
const VERSION_HASH = /(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g;

/** The template as JSON with asset and code hashes replaced, so a snapshot changes only when the template does. */
export function normalisedTemplate(stack: Stack): unknown {
  const json = JSON.stringify(Template.fromStack(stack).toJSON());
  return JSON.parse(json.replace(HASH, '[ASSET HASH]').replace(VERSION_HASH, '$1[CODE HASH]'));
}
