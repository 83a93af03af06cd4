import { UcopError, isUcopError } from '../errors/index.ts';
import type { ExpressionScope, Template, TemplateExpression } from './ast.ts';
import { evaluateExpression } from './evaluator.ts';
import { toText } from './value-text.ts';

/**
 * Produces the value of a template at run time.
 * - `literal`: the value as written (an escaped `$${{` is already a plain `${{`).
 * - `expr`: the expression's value, type preserved (a list stays a list, a number a number).
 * - `interpolation`: a string; each value becomes text: strings as they are, numbers and booleans via
 *   String, null and missing values as '', lists and objects as compact JSON.
 * - `array` / `object`: rendered element by element.
 * Values read from the scope are inserted as data: a step output containing `${{ inputs.x }}` comes out
 * verbatim, it is never parsed or evaluated again.
 *
 * @throws UcopError `EXPRESSION_EVAL` with `fields: { offset, path, expression }` (`offset` in the original
 *   string, `path` inside the templated value).
 */
export function renderTemplate(t: Template, scope: ExpressionScope): unknown {
  return render(t, scope, []);
}

function render(t: Template, scope: ExpressionScope, path: (string | number)[]): unknown {
  switch (t.kind) {
    case 'literal':
      return t.value;
    case 'expr':
      return evaluateAt(t, scope, path);
    case 'interpolation':
      return t.parts.map((part) => ('expr' in part ? toText(evaluateAt(part, scope, path)) : part.text)).join('');
    case 'array':
      return t.items.map((item, i) => renderChild(item, i, scope, path));
    case 'object':
      // fromEntries defines own properties, so a `__proto__` key stays a plain key and never sets a prototype.
      return Object.fromEntries(t.entries.map(([key, item]) => [key, renderChild(item, key, scope, path)]));
  }
}

// One path stack for the whole render (pushed and popped around each child); errors copy it.
function renderChild(t: Template, key: string | number, scope: ExpressionScope, path: (string | number)[]): unknown {
  path.push(key);
  try {
    return render(t, scope, path);
  } finally {
    path.pop();
  }
}

function evaluateAt(part: TemplateExpression, scope: ExpressionScope, path: (string | number)[]): unknown {
  try {
    return evaluateExpression(part.expr, scope);
  } catch (error) {
    if (!isUcopError(error)) throw error;
    const inner = typeof error.fields.offset === 'number' ? error.fields.offset : 0;
    throw new UcopError(error.code, `${error.message} (in \${{ ${part.source} }})`, {
      cause: error,
      fields: { ...error.fields, offset: (part.offset ?? 0) + inner, path: [...path], expression: part.source },
    });
  }
}
