"""What GNU gettext makes of Plural-Forms expressions and of c-format and python-format
strings, for ``problems``: the rules of gettext 0.21's plural.y, msgl-check.c,
format-c.c and format-python.c, reduced to what ``msgfmt --check`` rejects."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

_WORD = 2**64  # msgfmt evaluates in unsigned long

# --- Plural-Forms ---------------------------------------------------------------------------

_TOKEN = re.compile(r"[ \t]*(?:(\d+)|(==|!=|<=|>=|&&|\|\||[-+*/%<>!?:()n])|([;\n]|$)|(.))")

Formula = Callable[[int], int]


class _DivisionByZero(Exception):
    pass


def _binary(op: str, a: Formula, b: Formula) -> Formula:
    if op == "&&":
        return lambda n: int(bool(a(n)) and bool(b(n)))
    if op == "||":
        return lambda n: int(bool(a(n)) or bool(b(n)))
    if op in "/%":

        def divide(n: int) -> int:
            right = b(n)
            if right == 0:
                raise _DivisionByZero
            return a(n) // right if op == "/" else a(n) % right

        return divide
    compute: Callable[[int, int], int] = {
        "*": lambda x, y: (x * y) % _WORD,
        "+": lambda x, y: (x + y) % _WORD,
        "-": lambda x, y: (x - y) % _WORD,
        "==": lambda x, y: int(x == y),
        "!=": lambda x, y: int(x != y),
        "<": lambda x, y: int(x < y),
        ">": lambda x, y: int(x > y),
        "<=": lambda x, y: int(x <= y),
        ">=": lambda x, y: int(x >= y),
    }[op]
    return lambda n: compute(a(n), b(n))


_LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))


class _Parser:
    """plural.y's grammar: C's operators without unary minus, on n and numbers."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, int]] = []  # ("num", value) or (operator, 0); ("", 0) ends
        for found in _TOKEN.finditer(text):
            number, op, end, bad = found.groups()
            if bad is not None:
                raise ValueError(bad)
            if end is not None:
                break
            self.tokens.append(("num", int(number) % _WORD) if number else (op, 0))
        self.tokens.append(("", 0))
        self.at = 0

    def take(self, *ops: str) -> str | None:
        kind = self.tokens[self.at][0]
        if kind in ops:
            self.at += 1
            return kind
        return None

    def expression(self) -> Formula:
        condition = self.binary(0)
        if self.take("?") is None:
            return condition
        yes = self.expression()
        if self.take(":") is None:
            raise ValueError(":")
        no = self.expression()
        return lambda n: yes(n) if condition(n) else no(n)

    def binary(self, level: int) -> Formula:
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while (op := self.take(*_LEVELS[level])) is not None:
            left = _binary(op, left, self.binary(level + 1))
        return left

    def unary(self) -> Formula:
        kind, value = self.tokens[self.at]
        self.at += 1
        if kind == "!":
            inner = self.unary()
            return lambda n: int(not inner(n))
        if kind == "n":
            return lambda n: n
        if kind == "num":
            return lambda n: value
        if kind == "(":
            inner = self.expression()
            if self.take(")") is None:
                raise ValueError(")")
            return inner
        raise ValueError(kind)


@cache
def plural_header_problem(header: str) -> tuple[str, int | None]:
    """What msgfmt says of the plural attributes of a header msgstr: ("", nplurals) when
    they are fine, ("", None) when there are none, or an error message and None."""
    plural_at, nplurals_at = header.find("plural="), header.find("nplurals=")
    if plural_at < 0 or nplurals_at < 0:
        return "", None
    found = re.match(r"[ \t\n\v\f\r]*(\d+)", header[nplurals_at + 9 :])
    if found is None:
        return "invalid nplurals value", None
    nplurals = int(found[1])
    try:
        parser = _Parser(header[plural_at + 7 :])
        formula = parser.expression()
        if parser.tokens[parser.at][0]:
            raise ValueError("trailing")
    except (ValueError, RecursionError):
        return "invalid plural expression", None
    try:
        for n in range(1001):  # msgfmt's range
            value = formula(n)
            if value >= _WORD // 2:
                return "plural expression can produce negative values", None
            if value >= nplurals:
                return (
                    f"nplurals = {nplurals} but plural expression can produce values as large "
                    f"as {value}",
                    None,
                )
    except _DivisionByZero:
        return "plural expression can produce division by zero", None
    return "", nplurals


# --- format strings ---------------------------------------------------------------------------

# A directive's argument type, and the arguments a format string takes: by position
# (C, python unnamed) or by name (python).
Arguments = tuple[tuple[str, ...], dict[str, str]]

_C_DIRECTIVE = re.compile(
    r"%(?:(?P<pos>[1-9]\d*)\$)?[-+ #0'I]*"
    r"(?:(?P<wstar>\*)(?:(?P<wpos>[1-9]\d*)\$)?|\d+)?"
    r"(?:\.(?:(?P<pstar>\*)(?:(?P<ppos>[1-9]\d*)\$)?|\d*))?"
    r"(?P<size>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conv>.?)",
    re.DOTALL,
)
_C_KINDS = {
    **dict.fromkeys("di", "int"),
    **dict.fromkeys("ouxX", "unsigned"),
    **dict.fromkeys("eEfFgGaA", "double"),
    "c": "char",
    "C": "wchar",
    "s": "string",
    "S": "wstring",
    "p": "pointer",
    "n": "count",
}
_C_SIZES = {"q": "ll", "L": "ll", "Z": "z"}  # synonyms for integers


def c_arguments(text: str) -> Arguments | str:
    """The arguments of a C format string, or why it is not one."""
    numbered: list[tuple[int, str]] = []
    unnumbered: list[str] = []
    at = text.find("%")
    while at >= 0:
        found = _C_DIRECTIVE.match(text, at)
        assert found is not None  # every part is optional
        conv, size = found["conv"], found["size"] or ""
        if conv == "":
            return "The string ends in the middle of a directive."
        if conv in "%m" and not (found["pos"] or found["wstar"] or found["pstar"] or size):
            at = text.find("%", found.end())
            continue
        kind = _C_KINDS.get(conv)
        if kind is None:
            return f"the character '{conv}' is not a valid conversion specifier."
        if kind in ("int", "unsigned", "count"):
            kind += _C_SIZES.get(size, size)
        elif kind == "double" and size == "L":
            kind = "long double"
        elif kind in ("char", "string") and size == "l":
            kind = "w" + kind
        for star, position in (("wstar", "wpos"), ("pstar", "ppos")):
            if found[star]:
                if found[position]:
                    numbered.append((int(found[position]), "int"))
                else:
                    unnumbered.append("int")
        if found["pos"]:
            numbered.append((int(found["pos"]), kind))
        else:
            unnumbered.append(kind)
        at = text.find("%", found.end())
    if numbered and unnumbered:
        return (
            "The string refers to arguments both through absolute argument numbers and "
            "through unnumbered argument specifications."
        )
    if numbered:
        kinds: dict[int, str] = {}
        for number, kind in numbered:
            if kinds.setdefault(number, kind) != kind:
                return f"The string refers to argument number {number} in incompatible ways."
        for number in range(1, max(kinds) + 1):
            if number not in kinds:
                return (
                    f"The string refers to argument number {max(kinds)} but ignores argument "
                    f"number {number}."
                )
        unnumbered = [kinds[number] for number in sorted(kinds)]
    return tuple(unnumbered), {}


_PY_DIRECTIVE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-+ #0]*(?P<wstar>\*|\d+)?(?:\.(?P<pstar>\*|\d+)?)?[hlL]?"
    r"(?P<conv>.?)",
    re.DOTALL,
)
_PY_KINDS = {
    **dict.fromkeys("diouxX", "int"),
    **dict.fromkeys("eEfFgG", "float"),
    "c": "char",
    **dict.fromkeys("sra", "any"),
}


def python_arguments(text: str) -> Arguments | str:
    """The arguments of a python-format string, or why it is not one."""
    unnamed: list[str] = []
    named: dict[str, str] = {}
    at = text.find("%")
    while at >= 0:
        found = _PY_DIRECTIVE.match(text, at)
        assert found is not None
        conv, name = found["conv"], found["name"]
        if conv == "":
            return "The string ends in the middle of a directive."
        if conv == "%" and name is None and found.end() - at == 2:
            at = text.find("%", found.end())
            continue
        kind = _PY_KINDS.get(conv)
        if kind is None:
            return f"the character '{conv}' is not a valid conversion specifier."
        stars = [star for star in (found["wstar"], found["pstar"]) if star == "*"]
        if name is not None:
            if stars:
                return "The string refers to a width or precision through '*' by name."
            if named.setdefault(name, kind) != kind:
                return f"The string refers to the argument named '{name}' in incompatible ways."
        else:
            unnamed += ["int"] * len(stars) + [kind]
        at = text.find("%", found.end())
    if named and unnamed:
        return (
            "The string refers to arguments both through argument names and through unnamed "
            "argument specifications."
        )
    return tuple(unnamed), named


def mismatch(msgid: Arguments, msgstr: Arguments, *, strict: bool, names: tuple[str, str]) -> str:
    """msgfmt's complaint about a translation's arguments, or "" (format_check)."""
    (id_unnamed, id_named), (str_unnamed, str_named) = msgid, msgstr
    original, translation = names
    if (id_named and str_unnamed) or (id_unnamed and str_named):
        expects = ("a mapping", "a tuple") if id_named else ("a tuple", "a mapping")
        return (
            f"format specifications in '{original}' expect {expects[0]}, those in "
            f"'{translation}' expect {expects[1]}"
        )
    for name in sorted(id_named.keys() | str_named.keys()):
        if name not in str_named:
            if strict:
                return (
                    f"a format specification for argument '{name}' doesn't exist in "
                    f"'{translation}'"
                )
        elif name not in id_named:
            return (
                f"a format specification for argument '{name}', as in '{translation}', doesn't "
                f"exist in '{original}'"
            )
        elif id_named[name] != str_named[name]:
            return (
                f"format specifications in '{original}' and '{translation}' for argument "
                f"'{name}' are not the same"
            )
    if len(id_unnamed) != len(str_unnamed) if strict else len(id_unnamed) < len(str_unnamed):
        return (
            f"number of format specifications in '{original}' and '{translation}' does not match"
        )
    for number, (mine, theirs) in enumerate(zip(id_unnamed, str_unnamed, strict=False), 1):
        if mine != theirs:
            return (
                f"format specifications in '{original}' and '{translation}' for argument "
                f"{number} are not the same"
            )
    return ""


FORMATS: dict[str, tuple[str, Callable[[str], Arguments | str]]] = {
    "c-format": ("C", c_arguments),
    "python-format": ("Python", python_arguments),
}
