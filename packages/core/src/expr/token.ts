/** One lexical token of an expression; offsets are in the expression source. */
export type Token =
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'identifier'; value: string; start: number; end: number }
  | { kind: 'punct'; value: Punctuator; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

export type Punctuator =
  | '==' | '!=' | '<=' | '>=' | '&&' | '||'
  | '<' | '>' | '!' | '+' | '-' | '*' | '/' | '%'
  | '.' | '[' | ']' | '(' | ')' | ',';
