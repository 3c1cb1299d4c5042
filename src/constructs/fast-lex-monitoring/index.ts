// FastLexMonitoring, its properties and the metric builders it uses.
export { FastLexMonitoring } from './fast-lex-monitoring';
export type { FastLexAlarmThresholds, FastLexMonitoringProps } from './props';
export { FastLexMetrics, LexRuntimeMetric } from './metrics';
export type { CacheMetricOptions, LexBotMetricsScope, LexOperationDimensions } from './metrics';
