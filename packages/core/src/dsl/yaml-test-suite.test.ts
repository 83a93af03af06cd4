import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { loadYaml } from './yaml-loader.ts';

/**
 * Cases of the official YAML test suite (github.com/yaml/yaml-test-suite, `src/<ID>.yaml`) that matter to
 * workflow files, written out here: each holds the suite's YAML (tabs as `\t`) and the suite's JSON value, or
 * `error` for the suite's failing cases. ucop's loader must give that value, which is also what the `yaml`
 * library gives, or refuse the file with a located diagnostic at the place `yaml` reports. Multi-document
 * streams are valid YAML that ucop refuses on purpose (one workflow per file).
 */
interface SuiteCase {
  id: string;
  name: string;
  yaml: string;
  json?: unknown;
  /** The suite marks the case `fail: true`, or ucop refuses it on purpose: the expected code. */
  error?: string;
}

const CASES: SuiteCase[] = [
  {
    id: '229Q',
    name: 'Spec Example 2.4. Sequence of Mappings',
    yaml: '-\n  name: Mark McGwire\n  hr:   65\n  avg:  0.278\n-\n  name: Sammy Sosa\n  hr:   63\n  avg:  0.288\n',
    json: [
      { name: 'Mark McGwire', hr: 65, avg: 0.278 },
      { name: 'Sammy Sosa', hr: 63, avg: 0.288 },
    ],
  },
  {
    id: 'SYW4',
    name: 'Spec Example 2.2. Mapping Scalars to Scalars (comments after values)',
    yaml: 'hr:  65    # Home runs\navg: 0.278 # Batting average\nrbi: 147   # Runs Batted In\n',
    json: { hr: 65, avg: 0.278, rbi: 147 },
  },
  {
    id: '7BUB',
    name: 'Spec Example 2.10. Node for "Sammy Sosa" appears twice in this document (anchor, alias, comments)',
    yaml: '---\nhr:\n  - Mark McGwire\n  # Following node labeled SS\n  - &SS Sammy Sosa\nrbi:\n  - *SS # Subsequent occurrence\n  - Ken Griffey\n',
    json: { hr: ['Mark McGwire', 'Sammy Sosa'], rbi: ['Sammy Sosa', 'Ken Griffey'] },
  },
  {
    id: 'G4RS',
    name: 'Spec Example 2.17. Quoted Scalars (escapes)',
    yaml:
      'unicode: "Sosa did fine.\\u263A"\ncontrol: "\\b1998\\t1999\\t2000\\n"\nhex esc: "\\x0d\\x0a is \\r\\n"\n\n' +
      "single: '\"Howdy!\" he cried.'\nquoted: ' # Not a ''comment''.'\ntie-fighter: '|\\-*-/|'\n",
    json: {
      unicode: 'Sosa did fine.☺',
      control: '\b1998\t1999\t2000\n',
      'hex esc': '\r\n is \r\n',
      single: '"Howdy!" he cried.',
      quoted: " # Not a 'comment'.",
      'tie-fighter': '|\\-*-/|',
    },
  },
  { id: '3UYS', name: 'Escaped slash in double quotes', yaml: 'escaped slash: "a\\/b"\n', json: { 'escaped slash': 'a/b' } },
  {
    id: '6JQW',
    name: 'Spec Example 2.13. In literals, newlines are preserved',
    yaml: '# ASCII Art\n--- |\n  \\//||\\/||\n  // ||  ||__\n',
    json: '\\//||\\/||\n// ||  ||__\n',
  },
  {
    id: '96L6',
    name: 'Spec Example 2.14. In the folded scalars, newlines become spaces',
    yaml: "--- >\n  Mark McGwire's\n  year was crippled\n  by a knee injury.\n",
    json: "Mark McGwire's year was crippled by a knee injury.\n",
  },
  {
    id: 'A6F9',
    name: 'Spec Example 8.4. Chomping Final Line Break',
    yaml: 'strip: |-\n  text\nclip: |\n  text\nkeep: |+\n  text\n',
    json: { strip: 'text', clip: 'text\n', keep: 'text\n' },
  },
  {
    id: 'spec 8.5',
    name: 'Spec Example 8.5. Chomping Trailing Lines (with comments around block scalars)',
    yaml: '\n # Strip\n  # Comments:\nstrip: |-\n  # text\n  \n # Clip\n  # comments:\n\nclip: |\n  # text\n \n # Keep\n  # comments:\n\nkeep: |+\n  # text\n\n # Trail\n  # comments.\n',
    json: { strip: '# text', clip: '# text\n', keep: '# text\n\n' },
  },
  {
    id: '5KJE',
    name: 'Spec Example 7.13. Flow Sequence',
    yaml: '- [ one, two, ]\n- [three ,four]\n',
    json: [
      ['one', 'two'],
      ['three', 'four'],
    ],
  },
  {
    id: '5C5M',
    name: 'Spec Example 7.15. Flow Mappings',
    yaml: '- { one : two , three: four , }\n- {five: six,seven : eight}\n',
    json: [
      { one: 'two', three: 'four' },
      { five: 'six', seven: 'eight' },
    ],
  },
  {
    id: 'J3BT',
    name: 'Spec Example 5.12. Tabs and Spaces (tabs inside a quoted and a literal scalar)',
    yaml: '# Tabs and spaces\nquoted: "Quoted \t"\nblock:\t|\n  void main() {\n  \tprintf("Hello, world!\\n");\n  }\n',
    json: { quoted: 'Quoted \t', block: 'void main() {\n\tprintf("Hello, world!\\n");\n}\n' },
  },
  {
    id: 'DC7X',
    name: 'Various trailing tabs (before values, a comment and line ends)',
    yaml: 'a: b\t\nseq:\t\n - a\t\nc: d\t#X\n',
    json: { a: 'b', seq: ['a'], c: 'd' },
  },
  { id: '4EJS', name: 'Invalid tabs as indendation in a mapping', yaml: '---\na:\n\tb:\n\t\tc: value\n', error: 'YAML_SYNTAX' },
  {
    id: 'JHB9',
    name: 'Spec Example 2.7. Two Documents in a Stream (valid YAML; ucop refuses several documents)',
    yaml: '# Ranking of 1998 home runs\n---\n- Mark McGwire\n- Sammy Sosa\n- Ken Griffey\n\n# Team ranking\n---\n- Chicago Cubs\n- St Louis Cardinals\n',
    error: 'YAML_SYNTAX',
  },
];

/** What the `yaml` library itself says of the text: its value, or the position of its first error. */
function library(source: string): { value: unknown } | { line: number; col: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, schema: 'core', version: '1.2' });
  const first = doc.errors[0];
  if (!first) return { value: doc.toJS() };
  return lineCounter.linePos(first.pos[0]);
}

describe('the YAML test suite cases that matter to workflow files', () => {
  for (const c of CASES) {
    it(`${c.id}: ${c.name}`, () => {
      const loaded = loadYaml(c.yaml, `${c.id}.yaml`);
      const reference = library(c.yaml);
      if (c.error === undefined) {
        expect(loaded.diagnostics).toEqual([]);
        expect(loaded.value).toStrictEqual(c.json);
        expect(reference).toStrictEqual({ value: c.json });
      } else {
        expect(loaded.value).toBeUndefined();
        expect(loaded.diagnostics[0]).toMatchObject({ file: `${c.id}.yaml`, code: c.error, ...reference });
      }
    });
  }

  it('4EJS: the tab error is on the first line indented with a tab', () => {
    expect(loadYaml('---\na:\n\tb:\n\t\tc: value\n', 'f.yaml').diagnostics[0]).toMatchObject({ line: 3, col: 1 });
  });

  it('JHB9: the multi-document refusal points at the second document marker', () => {
    const source = CASES.find((c) => c.id === 'JHB9')!.yaml;
    expect(loadYaml(source, 'f.yaml').diagnostics).toEqual([
      { file: 'f.yaml', line: 8, col: 1, code: 'YAML_SYNTAX', message: 'the file holds several YAML documents (`---`): keep one document per file' },
    ]);
  });
});
