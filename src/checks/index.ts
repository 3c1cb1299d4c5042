// The latency rule pack: the jsii-visible part of the checks (rules and template reading stay internal).
export * from './latency-checks';
