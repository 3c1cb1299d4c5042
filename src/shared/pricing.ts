// AWS Lambda prices used by cost estimates (RightSizedFunction.estimateMonthlyCost and the latency/cost report).
// Source: the AWS Lambda pricing page, US East (N. Virginia) and US West (Oregon), which share these prices.
// Prices change: pass your own table where an estimate matters.

/** Lambda prices for one region, in USD. */
export interface LambdaPriceTable {
  /** Region the prices are for. */
  readonly region: string;
  /** On-demand duration, per GB-second, x86_64. */
  readonly durationPerGbSecondX86: number;
  /** On-demand duration, per GB-second, arm64 (first pricing tier). */
  readonly durationPerGbSecondArm: number;
  /** Provisioned concurrency, per GB-second configured, x86_64. */
  readonly provisionedPerGbSecondX86: number;
  /** Provisioned concurrency, per GB-second configured, arm64. */
  readonly provisionedPerGbSecondArm: number;
  /** Duration of invocations served by provisioned concurrency, per GB-second, x86_64. */
  readonly provisionedDurationPerGbSecondX86: number;
  /** Duration of invocations served by provisioned concurrency, per GB-second, arm64. */
  readonly provisionedDurationPerGbSecondArm: number;
  /** Per one million requests. */
  readonly requestsPerMillion: number;
}

/** us-east-1 / us-west-2 list prices (first tier, no free tier, no Savings Plans). */
export const LAMBDA_PRICES_US_EAST_1: LambdaPriceTable = {
  region: 'us-east-1',
  durationPerGbSecondX86: 0.0000166667,
  durationPerGbSecondArm: 0.0000133334,
  provisionedPerGbSecondX86: 0.0000041667,
  provisionedPerGbSecondArm: 0.0000033334,
  provisionedDurationPerGbSecondX86: 0.0000097222,
  provisionedDurationPerGbSecondArm: 0.0000077778,
  requestsPerMillion: 0.2,
};

/** Seconds in the 30-day month that the estimates use. */
export const SECONDS_PER_MONTH = 30 * 24 * 3600;

/** What a Lambda monthly cost depends on. */
export interface LambdaCostInputs {
  /** Invocations per month. */
  readonly invocations: number;
  /** Average billed duration of one invocation, in ms. */
  readonly durationMs: number;
  /** Memory in MB. */
  readonly memoryMb: number;
  /** arm64 (else x86_64). */
  readonly arm: boolean;
  /** Provisioned concurrency kept all month; invocations are then billed at the provisioned duration price. */
  readonly provisioned: number;
}

/** A Lambda monthly cost, part by part, in USD. */
export interface LambdaMonthlyCost {
  readonly durationUsd: number;
  readonly provisionedConcurrencyUsd: number;
  readonly requestsUsd: number;
  readonly totalUsd: number;
}

/**
 * The one Lambda monthly cost formula (RightSizedFunction.estimateCost and the report both use it): duration
 * GB-seconds at the on-demand or provisioned duration price, provisioned GB-seconds for the whole month, requests.
 */
export function lambdaMonthlyCost(prices: LambdaPriceTable, o: LambdaCostInputs): LambdaMonthlyCost {
  const gb = o.memoryMb / 1024;
  const durationRate = o.provisioned > 0
    ? (o.arm ? prices.provisionedDurationPerGbSecondArm : prices.provisionedDurationPerGbSecondX86)
    : (o.arm ? prices.durationPerGbSecondArm : prices.durationPerGbSecondX86);
  const provisionedRate = o.arm ? prices.provisionedPerGbSecondArm : prices.provisionedPerGbSecondX86;
  const durationUsd = o.invocations * (o.durationMs / 1000) * gb * durationRate;
  const provisionedConcurrencyUsd = o.provisioned * gb * SECONDS_PER_MONTH * provisionedRate;
  const requestsUsd = (o.invocations / 1_000_000) * prices.requestsPerMillion;
  return { durationUsd, provisionedConcurrencyUsd, requestsUsd, totalUsd: durationUsd + provisionedConcurrencyUsd + requestsUsd };
}
