// Public API of the DSL area: loading and validating workflow (and configuration) YAML.
export type * from './workflow-document.ts';
export type { YamlLimits } from './yaml-limits.ts';
export type { LoadedYaml } from './yaml-loader.ts';
export type { ValidateWorkflowOptions, WorkflowValidation } from './validate-workflow.ts';
export type { ParsedExpression, LocatedReference, WorkflowExpressions } from './workflow-expressions.ts';
export { parseDuration, tryParseDuration, formatDuration } from './duration.ts';
export { durationDiagnostic } from './duration-diagnostic.ts';
export { formatPath } from './json-pointer.ts';
export { editDistance, didYouMean, didYouMeanHint } from './did-you-mean.ts';
export { DEFAULT_YAML_LIMITS, resolveYamlLimits } from './yaml-limits.ts';
export { loadYaml } from './yaml-loader.ts';
export { YamlSourceMap } from './yaml-source-map.ts';
export { FORBIDDEN_KEYS } from './yaml-to-value.ts';
export { WORKFLOW_SCHEMA, WORKFLOW_SCHEMA_ID, agentSchemaValidator } from './json-schema-ajv.ts';
export { RENAMED_KEYS } from './renamed-keys.ts';
export { validateWorkflowSource, loadWorkflowFile } from './validate-workflow.ts';
export { workflowExpressions } from './workflow-expressions.ts';
export { stepDependencies } from './step-dependencies.ts';
