import { afterEach, describe, expect, it, vi } from 'vitest';
import { isUcopError } from '@ucop/core';
import { tempFiles, type TempFiles } from '../testing/temp-files.ts';
import { DEFAULT_PROMPTS_DIR, renderPrompt, renderTemplate } from './template.ts';

let files: TempFiles | undefined;
afterEach(async () => {
  await files?.remove();
  files = undefined;
});

describe('renderTemplate', () => {
  it('inserts values verbatim: no HTML escaping and no second evaluation', () => {
    const view = { heading: '{{ secret }}', other: '${{ env.HOME }}', html: '<b>a & "b"</b>', secret: 'LEAKED' };
    expect(renderTemplate('H: {{heading}} | O: {{other}} | X: {{html}}', view)).toBe('H: {{ secret }} | O: ${{ env.HOME }} | X: <b>a & "b"</b>');
  });

  it('never calls functions that came in with the view', () => {
    const lambda = vi.fn(() => 'ran');
    expect(renderTemplate('[{{#fn}}text{{/fn}}][{{fn}}]', { fn: lambda })).toBe('[][]');
    expect(lambda).not.toHaveBeenCalled();
  });

  it('renders lists and leaves partials empty instead of reading files', () => {
    expect(renderTemplate('{{#items}}- {{.}}\n{{/items}}{{> /etc/passwd}}', { items: ['a', 'b'] })).toBe('- a\n- b\n');
  });
});

describe('renderPrompt', () => {
  it('loads <name>.md from the configured directory', async () => {
    files = await tempFiles({ 'hello.md': 'Hello {{name}}!' });
    expect(await renderPrompt('hello', { name: 'Ada' }, { dir: files.dir })).toBe('Hello Ada!');
  });

  it('reports a missing template as FILE_NOT_FOUND with the path', async () => {
    files = await tempFiles();
    const error = await renderPrompt('nope', {}, { dir: files.dir }).catch((e: unknown) => e);
    expect(isUcopError(error) && error.code).toBe('FILE_NOT_FOUND');
    expect(isUcopError(error) && error.message).toContain(`${files.dir}/nope.md`);
  });

  it('refuses names that could leave the directory', async () => {
    const error = await renderPrompt('../secrets', {}).catch((e: unknown) => e);
    expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');
  });

  it('renders every shipped template with the views the writers give', async () => {
    const outline = await renderPrompt('outline', { title: 'T', headings: ['A', 'B'], topics: 'x, y', max_sections: 3 });
    expect(outline).toContain('- A\n- B');
    expect(outline).toContain('at most 3 sections');
    const section = await renderPrompt('section', { title: 'T', heading: 'Keys', summary: 'S', key_points: ['k1', '${{ inputs.x }}'] });
    expect(section).toContain('Section heading: Keys');
    expect(section).toContain('- ${{ inputs.x }}');
    const intro = await renderPrompt('introduction', { title: 'T', topics: '', sections: [] });
    expect(intro).not.toContain('covers, in order');
    const conclusion = await renderPrompt('conclusion', { title: 'T', topics: 'a', sections: ['One'] });
    expect(conclusion).toContain('- One');
    expect(DEFAULT_PROMPTS_DIR.endsWith('/prompts/')).toBe(true);
  });
});
