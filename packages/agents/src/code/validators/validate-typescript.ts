import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';
import type { CodeError } from './code-error.ts';

// The compiler is loaded on first use, synchronously (it is CommonJS): importing it costs about 0.4 s of CPU,
// which every `ucop` command would otherwise pay at start-up, while only posts with code blocks need it.
const require = createRequire(import.meta.url);
let loaded: typeof TypeScript | undefined;
function typescript(): typeof TypeScript {
  loaded ??= require('typescript') as typeof TypeScript;
  return loaded;
}

export type ScriptLang = 'ts' | 'tsx' | 'js' | 'jsx';

const FILE_NAMES: Record<ScriptLang, string> = { ts: 'block.ts', tsx: 'block.tsx', js: 'block.js', jsx: 'block.jsx' };

/**
 * Transpiles a TypeScript or JavaScript block with the TypeScript compiler and reports its syntax
 * diagnostics (positions within the block). Only syntax is checked: snippets import modules the checker
 * cannot see, so a type check would report noise, not errors.
 */
export function validateScript(code: string, lang: ScriptLang): CodeError[] {
  const ts = typescript();
  const result = ts.transpileModule(code, {
    fileName: FILE_NAMES[lang],
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, jsx: ts.JsxEmit.Preserve, allowJs: true },
  });
  return (result.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return { line: 1, col: 1, message };
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return { line: line + 1, col: character + 1, message };
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}
