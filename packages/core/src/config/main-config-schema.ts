import { WORKFLOW_SCHEMA_ID } from '../dsl/json-schema-ajv.ts';
import type { JsonSchema } from '../dsl/workflow-document.ts';

/** JSON Schema of config/main.yaml; `defaults:` is the workflow schema's `config` definition. */
export const MAIN_CONFIG_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ucop.dev/schema/main-config.schema.json',
  title: 'ucop configuration (config/main.yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    defaults: {
      description: "Engine settings for every workflow: the same keys as a workflow's `config:`, which overrides them.",
      $ref: `${WORKFLOW_SCHEMA_ID}#/$defs/config`,
    },
    agents: {
      description: 'Agent plugins.',
      type: 'object',
      additionalProperties: false,
      properties: {
        plugins: { description: 'Local files or npm packages that export agents.', type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    providers_file: { description: 'The LLM providers file, relative to this file.', type: 'string', minLength: 1 },
    workflows_dir: { description: "The directory of the user's workflows, relative to this file.", type: 'string', minLength: 1 },
    limits: {
      description: 'Size limits of the files ucop reads, in bytes or with a unit (`4MiB`). The flags and UCOP_MAX_*_BYTES variables override them.',
      type: 'object',
      additionalProperties: false,
      properties: {
        max_workflow_bytes: { description: 'Largest workflow file. Default 1MiB.', type: ['integer', 'string'] },
        max_config_bytes: { description: 'Largest providers file (config/main.yaml itself: only the flag or the variable). Default 1MiB.', type: ['integer', 'string'] },
      },
    },
    step_files: {
      description: 'Which steps/ files a run writes while it goes on (the journal holds every output; `ucop outputs` reads or writes them later). The --step-files flags and UCOP_STEP_FILES* variables override it.',
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: { description: 'all: every unit\'s file; auto: every file when the run has at most `threshold` units, none past it; none: no unit files. Default auto.', enum: ['all', 'auto', 'none'] },
        threshold: { description: 'In auto, the most units a run may have and still write their files. Default 1000.', type: 'integer', minimum: 0 },
      },
    },
    secrets: {
      description: 'Names of environment variables whose values are secrets: masked in run records, step files, logs, the console and traces (provider keys are masked without being listed).',
      type: 'array',
      items: { type: 'string', minLength: 1 },
    },
  },
};
