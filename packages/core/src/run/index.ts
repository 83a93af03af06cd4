export type * from './run-record.ts';
export { computeRunMetrics } from './run-metrics.ts';
export { computeFingerprint, combineFingerprints } from './fingerprint.ts';
export type { FingerprintParts } from './fingerprint.ts';
export { stepsToRerun, stepsDownstreamOfAltered, EMPTY_RESUME_INDEX } from './resume.ts';
export type { ResumeIndex, EarlierResult, AlteredUnit } from './resume.ts';
export { stepOutputPath, isStepOutputFile } from './step-output-file.ts';
export type { StepOutputFile } from './step-output-file.ts';
export { addFallbackCount } from './fallback-counts.ts';
