export type * from './tracer.ts';
export { noopTracer, noopSpan } from './tracer.ts';
