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
  },
};
