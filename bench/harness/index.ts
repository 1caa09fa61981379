export { BENCH_CREDENTIALS, startAcs, type AcsChild, type AcsChildOptions } from './acs-child';
export { cpuMicrosPerCall } from './cpu-time';
export { countsBetween, metricBy, metricSum, total } from './metrics';
export { flags, positiveInt } from './options';
export type { ProbeSample } from './probe';
export { machine, percentile, report, reproduce, round, tableHeader } from './report';
export { Cleanup, runBench } from './run';
export { storeCommandCounter } from './store-commands';
export { startStores, type BenchStores } from './stores';
