"""An index over a FileDescriptorSet: Swift names, C descriptor symbols, field indices, recursion."""

import sys

from google.protobuf import descriptor_pb2

import naming

F = descriptor_pb2.FieldDescriptorProto

SCALAR_SWIFT_TYPES = {
    F.TYPE_INT32: "Int32", F.TYPE_SINT32: "Int32", F.TYPE_SFIXED32: "Int32",
    F.TYPE_INT64: "Int64", F.TYPE_SINT64: "Int64", F.TYPE_SFIXED64: "Int64",
    F.TYPE_UINT32: "UInt32", F.TYPE_FIXED32: "UInt32",
    F.TYPE_UINT64: "UInt64", F.TYPE_FIXED64: "UInt64",
    F.TYPE_FLOAT: "Float", F.TYPE_DOUBLE: "Double", F.TYPE_BOOL: "Bool",
    F.TYPE_STRING: "String", F.TYPE_BYTES: "[UInt8]",
}

SCALAR_DEFAULTS = {"Float": "0", "Double": "0", "Bool": "false", "String": '""', "[UInt8]": "[]"}


class MessageInfo:
    def __init__(self, desc, full_name, swift_name, file, path):
        self.desc = desc
        self.full_name = full_name
        self.swift_name = swift_name  # qualified, e.g. Grpc_Testing_Foo.Bar
        self.file = file
        self.path = path  # source_code_info path
        self.is_map_entry = desc.options.map_entry
        # protoc-c lists fields sorted by number; a field's index in that list is how Swift reads it.
        self.field_index = {f.number: i for i, f in enumerate(sorted(desc.field, key=lambda f: f.number))}


class EnumInfo:
    def __init__(self, desc, full_name, swift_name, file, path):
        self.desc = desc
        self.full_name = full_name
        self.swift_name = swift_name
        self.file = file
        self.path = path
        self.cases = []    # (swift case name, number, value descriptor, value index) for distinct numbers
        self.aliases = []  # (swift name, case name it aliases, value descriptor, value index)
        used, by_number = set(), {}
        for i, v in enumerate(desc.value):
            name = naming.enum_case_name(desc.name, v.name)
            while name in used or name == "unrecognized":
                name += "_"
            used.add(name)
            if v.number in by_number:
                self.aliases.append((name, by_number[v.number], v, i))
            else:
                by_number[v.number] = name
                self.cases.append((name, v.number, v, i))
        zero = [c for c in self.cases if c[1] == 0]
        if not zero:
            sys.exit(f"error: enum {full_name} has no zero value (proto3 requires one)")
        self.default_case = zero[0][0]


class Index:
    def __init__(self, fds, c_symbols):
        self.files = {f.name: f for f in fds.file}
        self.messages = {}
        self.enums = {}
        self.c_symbols = c_symbols
        self.comments = {}
        for f in fds.file:
            prefix = naming.package_prefix(f.package)
            pkg = f".{f.package}" if f.package else ""
            for i, m in enumerate(f.message_type):
                self._add_message(m, f"{pkg}.{m.name}", prefix + naming.upper_camel(m.name), f, [4, i])
            for i, e in enumerate(f.enum_type):
                self._add_enum(e, f"{pkg}.{e.name}", prefix + naming.upper_camel(e.name), f, [5, i])
            for loc in f.source_code_info.location:
                if loc.leading_comments:
                    self.comments[(f.name, tuple(loc.path))] = loc.leading_comments
        self.boxed = self._find_recursive_fields()

    def _add_message(self, m, full_name, swift_name, f, path):
        self.messages[full_name] = MessageInfo(m, full_name, swift_name, f, path)
        for i, n in enumerate(m.nested_type):
            self._add_message(n, f"{full_name}.{n.name}", f"{swift_name}.{naming.upper_camel(n.name)}", f, path + [3, i])
        for i, e in enumerate(m.enum_type):
            self._add_enum(e, f"{full_name}.{e.name}", f"{swift_name}.{naming.upper_camel(e.name)}", f, path + [4, i])

    def _add_enum(self, e, full_name, swift_name, f, path):
        self.enums[full_name] = EnumInfo(e, full_name, swift_name, f, path)

    def comment(self, file, path):
        return self.comments.get((file.name, tuple(path)))

    def c_symbol(self, full_name):
        name = full_name.lstrip(".")
        if name not in self.c_symbols:
            sys.exit(f"error: protoc-c generated no descriptor for {name}")
        return self.c_symbols[name]

    def map_entry(self, field):
        """The entry MessageInfo when `field` is a map field, else None."""
        if field.label != F.LABEL_REPEATED or field.type != F.TYPE_MESSAGE:
            return None
        info = self.messages[field.type_name]
        return info if info.is_map_entry else None

    def swift_type(self, field):
        """The Swift type of one value of `field` (ignoring repeated/optional)."""
        if field.type == F.TYPE_MESSAGE:
            return self.messages[field.type_name].swift_name
        if field.type == F.TYPE_ENUM:
            return self.enums[field.type_name].swift_name
        if field.type == F.TYPE_GROUP:
            sys.exit("error: groups are not supported")
        return SCALAR_SWIFT_TYPES[field.type]

    def default_value(self, field):
        if field.type == F.TYPE_ENUM:
            return "." + naming.escape(self.enums[field.type_name].default_case)
        swift = SCALAR_SWIFT_TYPES[field.type]
        return SCALAR_DEFAULTS.get(swift, "0")

    def _find_recursive_fields(self):
        """(message full name, field number) of singular message fields that close a containment cycle.

        Such fields are stored behind a `ProtoBox` (or an `indirect` oneof case) so the struct has a
        finite size; repeated and map fields are already on the heap.
        """
        edges = {}
        for name, info in self.messages.items():
            edges[name] = [(f.number, f.type_name) for f in info.desc.field
                           if f.type == F.TYPE_MESSAGE and f.label != F.LABEL_REPEATED]
        boxed = set()
        for name in edges:
            for number, target in edges[name]:
                if self._reaches(target, name, edges):
                    boxed.add((name, number))
        return boxed

    @staticmethod
    def _reaches(start, goal, edges):
        seen, stack = set(), [start]
        while stack:
            n = stack.pop()
            if n == goal:
                return True
            if n in seen:
                continue
            seen.add(n)
            stack.extend(t for _, t in edges.get(n, []))
        return False
