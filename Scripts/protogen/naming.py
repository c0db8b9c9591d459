"""Swift naming rules (close to swift-protobuf's)."""

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
    "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
    "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
    "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
    "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
    "super", "throws", "true", "try", "Type", "Protocol",
}


def upper_camel(name):
    """`foo_bar` -> `FooBar`, `v1` -> `V1`, `HealthCheck` -> `HealthCheck`."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def lower_camel(name):
    """`response_type` -> `responseType`, `SERVING` -> `serving`, `URL_PATH` -> `urlPath`."""
    parts = [p for p in name.split("_") if p]
    if not parts:
        return "_"
    if all(p.upper() == p for p in parts):
        parts = [p.lower() for p in parts]
    first = parts[0]
    if first.upper() == first:
        first = first.lower()
    else:
        first = first[:1].lower() + first[1:]
    return first + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def escape(identifier):
    """Backticks Swift keywords; prefixes identifiers that start with a digit."""
    if identifier[:1].isdigit():
        return "_" + identifier
    return f"`{identifier}`" if identifier in SWIFT_KEYWORDS else identifier


def package_prefix(package):
    """`grpc.health.v1` -> `Grpc_Health_V1_`; empty package -> no prefix."""
    if not package:
        return ""
    return "_".join(upper_camel(p) for p in package.split(".")) + "_"


def upper_snake(name):
    """`ServingStatus` -> `SERVING_STATUS`."""
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and (name[i - 1].islower() or name[i - 1].isdigit()):
            out.append("_")
        out.append(ch.upper())
    return "".join(out)


def enum_case_name(enum_name, value_name):
    """Strips the enum's UPPER_SNAKE prefix, then lowerCamelCases: `STATUS_SERVING` -> `serving`."""
    prefix = upper_snake(enum_name) + "_"
    stripped = value_name
    if value_name.upper().startswith(prefix) and len(value_name) > len(prefix):
        rest = value_name[len(prefix):]
        if not rest[:1].isdigit():
            stripped = rest
    return lower_camel(stripped)
