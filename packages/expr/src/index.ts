// govaluate (Argo Events' expr filters and Sensor conditions; Argo Workflows' `when`)
export {
  ExprError as GovaluateError,
  evaluateExpr as evaluateGovaluate,
  exprVariables as govaluateVariables,
  parseExpr as parseGovaluate,
} from './govaluate.js';
export type { Expr as GovaluateExpr } from './govaluate.js';
// Go's text/template with the sprig functions Argo Events offers
export { TEMPLATE_FUNCTIONS, TemplateError, executeGoTemplate, parseGoTemplate } from './go-template.js';
// gjson / sjson paths
export { gjsonGet, parseGjsonPath } from './gjson.js';
export type { GjsonPathPart, GjsonResult } from './gjson.js';
export { parseSjsonPath, sjsonSet } from './sjson.js';
// RE2 (Go's regexp) translated to JavaScript's
export { compileRe2 } from './re2.js';
export type { Re2Compiled } from './re2.js';
// Go's value formatting and parsing (strconv, encoding/json)
export { formatGoFloat, gjsonBool, gjsonFloat, gjsonString, gjsonType, goJson, parseGoBool, parseGoFloat } from './go-values.js';
export type { Parsed } from './go-values.js';
// expr-lang (Argo Workflows' `{{= … }}` expressions) and Argo's expression environment
export { EXPR_LANG_BUILTINS, ExprLangError, evaluateExprLang, exprLangNames, formatGoValue, fromGoJson, goJsonOf, goTypeOf, parseExprLang } from './expr-lang.js';
export type { ExprLangFunction, ExprLangNode } from './expr-lang.js';
export { ARGO_EXPRESSION_FUNCTIONS, argoExpressionEnv, evaluateArgoExpression } from './argo-expression.js';
export { JsonPathError, jsonPathLookup } from './jsonpath.js';
export { sprigFunction } from './go-template.js';
// Lua (Argo Events' script filters and transforms) in a real Lua VM
export { runLuaFilter, runLuaTransform } from './lua.js';
export type { LuaFilterResult, LuaTransformResult } from './lua.js';
// jq (Argo Events' jq transforms), jq 1.7 as WebAssembly
export { runJqTransform } from './jq.js';
export type { JqTransformResult } from './jq.js';
