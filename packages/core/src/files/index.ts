export type { WriteFileAtomicOptions } from './write-file-atomic.ts';
export { writeFileAtomic } from './write-file-atomic.ts';
export { resolveInside } from './resolve-inside.ts';
export { readJsonFile } from './read-json-file.ts';
export type { ReadTextFileOptions } from './read-text-file.ts';
export { readTextFile, readFileBytes, decodeUtf8 } from './read-text-file.ts';
export { fileErrorDiagnostic } from './file-error-diagnostic.ts';
