/** Longest expression source accepted, in UTF-8 bytes (the text inside one `${{ }}`). */
export const MAX_EXPRESSION_BYTES = 4096;

/**
 * Deepest syntactic nesting accepted: each `(`, `[`, function call, index and unary operator counts one
 * level. Keeps the recursive-descent parser and the interpreter far from the JavaScript stack limit.
 */
export const MAX_EXPRESSION_DEPTH = 64;

/** Deepest array/object nesting `parseTemplate` walks; protects against cyclic or absurd values. */
export const MAX_TEMPLATE_DEPTH = 256;
