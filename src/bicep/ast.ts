/**
 * The syntax tree of the Bicep subset: plain data, every node with its span (offsets into the
 * file's text), so evaluation can point diagnostics and model positions back at the source.
 */

/** Half-open range of offsets into the file's text. */
export interface Span {
  readonly start: number
  readonly end: number
}

export type Expr =
  | { readonly kind: 'int'; readonly value: number; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'interp'; readonly parts: readonly string[]; readonly exprs: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'null'; readonly span: Span }
  | { readonly kind: 'ident'; readonly name: string; readonly span: Span }
  | ObjectExpr
  | { readonly kind: 'array'; readonly items: readonly ArrayItem[]; readonly span: Span }
  | { readonly kind: 'member'; readonly target: Expr; readonly name: string; readonly nameSpan: Span; readonly safe: boolean; readonly span: Span }
  | { readonly kind: 'index'; readonly target: Expr; readonly index: Expr; readonly safe: boolean; readonly span: Span }
  | { readonly kind: 'call'; readonly namespace?: string; readonly name: string; readonly nameSpan: Span; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '!' | '-'; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'ternary'; readonly cond: Expr; readonly then: Expr; readonly else: Expr; readonly span: Span }
  | { readonly kind: 'nonNull'; readonly expr: Expr; readonly span: Span }

export type BinaryOp = '??' | '||' | '&&' | '==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%'

export interface ObjectExpr {
  readonly kind: 'object'
  readonly items: readonly ObjectItem[]
  readonly span: Span
}

export type ObjectItem =
  | { readonly kind: 'property'; readonly key: string | Expr; readonly keySpan: Span; readonly value: Expr; readonly span: Span }
  | Spread
  | Elided

export type ArrayItem = Expr | Spread | Elided

/** `...expr` inside an object or array literal (Bicep's spread operator). */
export interface Spread {
  readonly kind: 'spread'
  readonly expr: Expr
  readonly span: Span
}

/** `{ ... }`: documentation shorthand for text left out. Parsed so the message can say so. */
export interface Elided {
  readonly kind: 'elided'
  readonly span: Span
}

/** A declared type: `string`, `int[]`, `string?`, `'a' | 'b'`. */
export type TypeExpr =
  | { readonly kind: 'named'; readonly name: string; readonly span: Span }
  | { readonly kind: 'literal'; readonly value: string | number | boolean; readonly span: Span }
  | { readonly kind: 'arrayOf'; readonly of: TypeExpr; readonly span: Span }
  | { readonly kind: 'nullable'; readonly of: TypeExpr; readonly span: Span }
  | { readonly kind: 'union'; readonly members: readonly TypeExpr[]; readonly span: Span }

export interface Decorator {
  readonly namespace?: string
  readonly name: string
  readonly args: readonly Expr[]
  readonly span: Span
}

export type Decl =
  | { readonly kind: 'param'; readonly name: string; readonly nameSpan: Span; readonly type: TypeExpr; readonly default?: Expr; readonly decorators: readonly Decorator[]; readonly span: Span }
  | { readonly kind: 'var'; readonly name: string; readonly nameSpan: Span; readonly value: Expr; readonly decorators: readonly Decorator[]; readonly span: Span }
  | ResourceDecl
  /** `output`, `extension`, `import 'radius@…'`, `targetScope`, `metadata`: read, and of no consequence for the app. */
  | { readonly kind: 'ignored'; readonly keyword: string; readonly name?: string; readonly nameSpan?: Span; readonly decorators: readonly Decorator[]; readonly span: Span }

export interface ResourceDecl {
  readonly kind: 'resource'
  readonly name: string
  readonly nameSpan: Span
  /** `Namespace/type@apiVersion`, as written. */
  readonly type: string
  readonly typeSpan: Span
  readonly existing: boolean
  readonly body: ObjectExpr
  readonly decorators: readonly Decorator[]
  readonly span: Span
}

export interface BicepFile {
  readonly decls: readonly Decl[]
}
