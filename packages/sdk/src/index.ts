// @overdue/sdk: tell Overdue when jobs start, progress and finish — without ever breaking the job.
export { createClient, OverdueClient, SDK_VERSION, type ClientOptions, type MonitorOptions } from './client.js';
export { Run, type SignalOptions } from './run.js';
export { OverdueRequestError, type FailureKind } from './errors.js';
export type { SignalResult, SignalContext, ErrorHook } from './send-signal.js';
export type { HeartbeatCron, HeartbeatCronOptions, HeartbeatOptions, Metadata } from './heartbeat.js';
export type { PingAction } from './ping-url.js';
