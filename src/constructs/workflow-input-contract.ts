// What a workflow says about its execution input, so a construct that starts it can check at synth that the input
// it sends holds what the workflow's first step requires.
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/**
 * A workflow whose execution input has known requirements, such as a `DemoCallWorkflow`. `CachedLexFulfillment`
 * checks a workflow intent's `inputSlots` against it.
 */
export interface IWorkflowInputContract {
  /** The state machine to start. */
  readonly workflowStateMachine: sfn.IStateMachine;
  /** Dotted input paths the workflow refuses to run without (e.g. `lead.phone`). */
  readonly requiredInputPaths: string[];
  /**
   * The input path that holds a phone number.
   * @default - no phone number in the input
   */
  readonly phoneInputPath?: string;
  /**
   * The ISO country a national phone number is read in.
   * @default - only E.164 numbers (+14155550100) are accepted
   */
  readonly defaultPhoneCountry?: string;
}

/** True when `value` (a state machine's scope, say) declares its input requirements. */
export function isWorkflowInputContract(value: unknown): value is IWorkflowInputContract {
  const v = value as Partial<IWorkflowInputContract> | undefined;
  return typeof v === 'object' && v !== null && Array.isArray(v.requiredInputPaths) && typeof v.workflowStateMachine === 'object';
}
