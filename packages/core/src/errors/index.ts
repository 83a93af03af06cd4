export * from './error-codes.ts';
export * from './ucop-error.ts';
export * from './diagnostic.ts';
