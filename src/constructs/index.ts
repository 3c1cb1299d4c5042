export * from './response-cache-table';
export * from './right-sized-function';
export * from './cached-lex-fulfillment';
export * from './demo-call-workflow';
export { FastLexMetrics, FastLexMonitoring, LexRuntimeMetric } from './fast-lex-monitoring';
export type { CacheMetricOptions, FastLexAlarmThresholds, FastLexMonitoringProps, LexBotMetricsScope, LexOperationDimensions } from './fast-lex-monitoring';
