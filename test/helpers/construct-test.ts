// The frame of every construct test: a fresh stack per test, the cdk-nag AwsSolutions pack run after each test on
// every stack the test made, and one snapshot helper.
import { App, Stack } from 'aws-cdk-lib';
import { afterEach, describe, expect } from 'vitest';
import { normalisedTemplate, unacknowledgedNagFindings } from './template';

/** The account and Region every test stack deploys to, so ARNs and grants resolve. */
export const TEST_ENV = { account: '123456789012', region: 'us-west-2' } as const;

let stacksOfThisTest: Stack[] = [];
let nagSkippedBecause: string | undefined;

/** A new stack in a new app, checked by cdk-nag when the test ends. */
export function testStack(id = 'Test'): Stack {
  const stack = new Stack(new App(), id, { env: TEST_ENV });
  stacksOfThisTest.push(stack);
  return stack;
}

/** Options of `describeConstruct`. */
export interface ConstructTestOptions {
  /** Findings (`RuleId logicalId`) that belong to a test fixture, not to the construct under test. @default - none */
  readonly fixtureFindings?: (finding: string) => boolean;
}

/**
 * `describe` for a construct: after every test, each stack made with `testStack()` must have no unacknowledged
 * AwsSolutions findings, so a construct built in any configuration a test uses is checked, not only one.
 */
export function describeConstruct(name: string, body: () => void, options: ConstructTestOptions = {}): void {
  describe(name, () => {
    afterEach(() => {
      const stacks = stacksOfThisTest;
      const skipped = nagSkippedBecause;
      stacksOfThisTest = [];
      nagSkippedBecause = undefined;
      if (skipped !== undefined) return;
      for (const stack of stacks) {
        const findings = unacknowledgedNagFindings(stack).filter((f) => !options.fixtureFindings?.(f));
        expect(findings, `cdk-nag AwsSolutions findings in stack ${stack.stackName}`).toEqual([]);
      }
    });
    body();
  });
}

/** Turns the after-test cdk-nag check off for the current test only, with the reason (a test that expects a finding). */
export function skipNagCheck(reason: string): void {
  nagSkippedBecause = reason;
}

/** The stack's template, hashes normalised, against the test file's snapshot. */
export function expectSnapshot(stack: Stack): void {
  expect(normalisedTemplate(stack)).toMatchSnapshot();
}
