export * from './jobs';
export * from './redis-connection';
export * from './schedule-runs.repository';
