// The latency/cost report (Node-only, used by the `cdk-fast-lex report` command; not part of the jsii assembly).
export * from './model';
export * from './report';
export * from './svg';
export * from './write';
export * from './measured';
export {
  HISTORY_STEPS, callPlacedFromHistory, measuredFromExecutionHistory, percentile, type CallPlacedFigures, type ExecutionHistoryReadOptions,
} from './execution-history';
