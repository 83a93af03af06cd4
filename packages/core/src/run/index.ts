export type * from './run-record.ts';
