/** Options shared by the writer agents. */
export interface WriterOptions {
  /** Directory of the prompt templates. @default the repository's prompts/ (DEFAULT_PROMPTS_DIR) */
  promptsDir?: string;
}

/** The input property every writer takes for the state key that holds the sources. */
export const SOURCES_KEY_PROPERTY = { type: 'string', minLength: 1, default: 'sources', description: 'state key holding the sources' } as const;
