export type * from './state-view.ts';
