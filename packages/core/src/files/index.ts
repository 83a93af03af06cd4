export type { WriteFileAtomicOptions } from './write-file-atomic.ts';
export { writeFileAtomic } from './write-file-atomic.ts';
export { resolveInside } from './resolve-inside.ts';
export { readJsonFile } from './read-json-file.ts';
