export type * from './workflow-document.ts';
