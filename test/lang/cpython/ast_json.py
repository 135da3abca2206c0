"""Parse Python sources with CPython and print their ASTs in the shape of src/lang/ast.ts.

Reads a JSON list of sources on stdin; prints a JSON list with, for each source, either
{"ok": false} (CPython rejects it), {"ok": true, "body": [...]} or {"ok": true, "body": null}
when it uses something outside the subset that the comparison does not cover.
Spans are 1-based with an exclusive end column, like ours. Parameter spans and the spans
inside f-string fields are left out: ours differ on purpose (a Param spans `name=default`)
or CPython's are not reliable before 3.12.
"""
import ast
import json
import sys
import warnings

BIN = {ast.Add: '+', ast.Sub: '-', ast.Mult: '*', ast.Div: '/', ast.FloorDiv: '//', ast.Mod: '%'}
CMP = {ast.Lt: '<', ast.LtE: '<=', ast.Gt: '>', ast.GtE: '>=', ast.Eq: '==', ast.NotEq: '!=',
       ast.Is: 'is', ast.IsNot: 'is not', ast.In: 'in', ast.NotIn: 'not in'}
UNARY = {ast.USub: '-', ast.UAdd: '+', ast.Not: 'not'}


class Outside(Exception):
    """A node the subset does not have."""


def span(node, spans):
    if not spans:
        return {}
    return {'span': {'line': node.lineno, 'col': node.col_offset + 1,
                     'endLine': node.end_lineno, 'endCol': node.end_col_offset + 1}}


def expr(n, spans=True):
    def out(d):
        return {**d, **span(n, spans)}
    k = type(n)
    if k is ast.Name:
        return out({'kind': 'Name', 'id': n.id})
    if k is ast.Constant:
        v = n.value
        if v is None:
            return out({'kind': 'None'})
        if isinstance(v, bool):
            return out({'kind': 'Bool', 'value': v})
        if isinstance(v, int):
            return out({'kind': 'Int', 'value': v})
        if isinstance(v, float):
            return out({'kind': 'Float', 'value': v})
        if isinstance(v, str):
            return out({'kind': 'Str', 'value': v})
        raise Outside()
    if k is ast.JoinedStr:
        parts = []
        for p in n.values:
            if isinstance(p, ast.Constant):
                parts.append(p.value)
                continue
            spec = None
            if p.format_spec is not None:
                spec = ''.join(c.value for c in p.format_spec.values if isinstance(c, ast.Constant))
            conversion = {-1: None, 114: 'r', 115: 's'}[p.conversion]
            parts.append({'expr': expr(p.value, False), 'conversion': conversion, 'spec': spec})
        return out({'kind': 'FString', 'parts': parts})
    if k is ast.BinOp and type(n.op) in BIN:
        return out({'kind': 'BinOp', 'op': BIN[type(n.op)], 'left': expr(n.left, spans), 'right': expr(n.right, spans)})
    if k is ast.UnaryOp and type(n.op) in UNARY:
        return out({'kind': 'UnaryOp', 'op': UNARY[type(n.op)], 'operand': expr(n.operand, spans)})
    if k is ast.BoolOp:
        op = 'and' if isinstance(n.op, ast.And) else 'or'
        return out({'kind': 'BoolOp', 'op': op, 'values': [expr(v, spans) for v in n.values]})
    if k is ast.Compare:
        return out({'kind': 'Compare', 'left': expr(n.left, spans), 'ops': [CMP[type(o)] for o in n.ops],
                    'comparators': [expr(c, spans) for c in n.comparators]})
    if k is ast.IfExp:
        return out({'kind': 'IfExp', 'test': expr(n.test, spans), 'body': expr(n.body, spans),
                    'orelse': expr(n.orelse, spans)})
    if k is ast.Call:
        if any(isinstance(a, ast.Starred) for a in n.args) or any(kw.arg is None for kw in n.keywords):
            raise Outside()
        keywords = [{'name': kw.arg, 'value': expr(kw.value, spans), **span(kw, spans)} for kw in n.keywords]
        return out({'kind': 'Call', 'func': expr(n.func, spans), 'args': [expr(a, spans) for a in n.args],
                    'keywords': keywords})
    if k is ast.Attribute:
        return out({'kind': 'Attribute', 'value': expr(n.value, spans), 'attr': n.attr})
    if k is ast.Subscript:
        return out({'kind': 'Subscript', 'value': expr(n.value, spans), 'index': expr(n.slice, spans)})
    if k in (ast.Tuple, ast.List):
        return out({'kind': k.__name__, 'elts': [expr(e, spans) for e in n.elts]})
    if k is ast.Dict:
        if any(key is None for key in n.keys):
            raise Outside()
        return out({'kind': 'Dict', 'keys': [expr(e, spans) for e in n.keys],
                    'values': [expr(e, spans) for e in n.values]})
    if k is ast.ListComp and len(n.generators) == 1 and len(n.generators[0].ifs) <= 1:
        g = n.generators[0]
        cond = expr(g.ifs[0], spans) if g.ifs else None
        return out({'kind': 'ListComp', 'elt': expr(n.elt, spans), 'target': expr(g.target, spans),
                    'iter': expr(g.iter, spans), 'cond': cond})
    raise Outside()


def opt(n):
    return expr(n) if n is not None else None


def body(stmts, top=False):
    return [stmt(s, top) for s in stmts]


def stmt(n, top=False):
    def out(d):
        return {**d, **span(n, True)}
    k = type(n)
    if k is ast.Import:
        return out({'kind': 'Import', 'modules': [a.name for a in n.names]})
    if k is ast.ImportFrom:
        names = [{'name': a.name, 'asname': a.asname, **span(a, True)} for a in n.names]
        return out({'kind': 'ImportFrom', 'module': n.module, 'names': names})
    if k is ast.Assign:
        return out({'kind': 'Assign', 'targets': [expr(t) for t in n.targets], 'value': expr(n.value)})
    if k is ast.AugAssign and type(n.op) in BIN:
        return out({'kind': 'AugAssign', 'target': expr(n.target), 'op': BIN[type(n.op)], 'value': expr(n.value)})
    if k is ast.Delete:
        return out({'kind': 'Delete', 'targets': [expr(t) for t in n.targets]})
    if k is ast.Global:
        return out({'kind': 'Global', 'names': n.names})
    if k is ast.FunctionDef and top and not n.decorator_list:
        a = n.args
        defaults = [None] * (len(a.args) - len(a.defaults)) + list(a.defaults)
        params = [{'name': p.arg, 'default': opt(d)} for p, d in zip(a.args, defaults)]
        return out({'kind': 'FunctionDef', 'name': n.name, 'params': params, 'body': body(n.body)})
    if k is ast.Return:
        return out({'kind': 'Return', 'value': opt(n.value)})
    if k is ast.If:
        return out({'kind': 'If', 'test': expr(n.test), 'body': body(n.body), 'orelse': body(n.orelse)})
    if k is ast.While and not n.orelse:
        return out({'kind': 'While', 'test': expr(n.test), 'body': body(n.body)})
    if k is ast.For and not n.orelse:
        return out({'kind': 'For', 'target': expr(n.target), 'iter': expr(n.iter), 'body': body(n.body)})
    if k in (ast.Break, ast.Continue, ast.Pass):
        return out({'kind': k.__name__})
    if k is ast.With and all(i.optional_vars is None for i in n.items):
        return out({'kind': 'With', 'items': [expr(i.context_expr) for i in n.items], 'body': body(n.body)})
    if k is ast.Try:
        handlers = [{'type': opt(h.type), 'name': h.name, 'body': body(h.body), **span(h, True)} for h in n.handlers]
        return out({'kind': 'Try', 'body': body(n.body), 'handlers': handlers, 'orelse': body(n.orelse),
                    'finalbody': body(n.finalbody)})
    if k is ast.Raise and n.cause is None:
        return out({'kind': 'Raise', 'exc': opt(n.exc)})
    if k is ast.Assert:
        return out({'kind': 'Assert', 'test': expr(n.test), 'msg': opt(n.msg)})
    if k is ast.Expr:
        return out({'kind': 'Expr', 'value': expr(n.value)})
    raise Outside()


def convert(source):
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {'ok': False}
    try:
        return {'ok': True, 'body': body(tree.body, top=True)}
    except Outside:
        return {'ok': True, 'body': None}


if __name__ == '__main__':
    warnings.simplefilter('ignore')
    print(json.dumps([convert(s) for s in json.load(sys.stdin)]))
