export type * from './plan-types.ts';
