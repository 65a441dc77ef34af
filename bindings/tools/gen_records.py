#!/usr/bin/env python3
"""Generates the record types of the Swift and Kotlin bindings from schema/schema.json.

    bindings/tools/gen_records.py            rewrites the generated files
    bindings/tools/gen_records.py --check    exits 1 (with a diff) when they are out of date

Outputs (committed, so SwiftPM and Gradle users need no generator):
    bindings/swift/Sources/Gainsly/Records.swift
    bindings/kotlin/src/main/kotlin/app/gainsly/Records.kt

Mapping of column types (schema/README.md grammar):
    pk, int             Swift Int64          Kotlin Long
    float               Double               Double
    text, varchar, uuid String               String
    bool                Bool                 Boolean
    date                CalendarDate         java.time.LocalDate
    timestamp           Date                 java.time.Instant
    json                JSONValue            String (the JSON text)
    enum(name) strings  <Name> (extensible)  String (+ object <Name> with the values)
    enum(name) integers Int64                Long
A property is non-optional only when its column is not_null without a default (and not the key or
uid); everything else is optional, and nil/null means "leave to the default" on insert.
"""
import difflib
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCHEMA = os.path.join(ROOT, "schema", "schema.json")
SWIFT_OUT = os.path.join(ROOT, "bindings", "swift", "Sources", "Gainsly", "Records.swift")
KOTLIN_OUT = os.path.join(ROOT, "bindings", "kotlin", "src", "main", "kotlin", "app", "gainsly", "Records.kt")

# Record names that the singular-of-the-table rule gets wrong or that would clash.
RECORD_NAMES = {
    "user_settings": "UserSettings",
    "user_biometrics_history": "UserBiometricsHistory",
    "goals": "GoalDefinition",  # `Goal` is the enum of program goals
}
# Enum type names that would clash with common platform types.
ENUM_NAMES = {
    "visibility": "ProgramVisibility",  # SwiftUI.Visibility
}
SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
    "inout", "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows",
    "static", "struct", "subscript", "typealias", "var", "break", "case", "continue", "default",
    "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch",
    "where", "while", "as", "catch", "false", "is", "nil", "super", "self", "Self", "throw", "throws",
    "true", "try", "Type", "Any", "some", "any",
}


def camel(name, upper=False):
    parts = [p for p in re.split(r"[_\s]+", name) if p]
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    if not upper:
        out = out[:1].lower() + out[1:]
    if out[:1].isdigit():
        out = "v" + out
    return out


def record_name(table):
    if table in RECORD_NAMES:
        return RECORD_NAMES[table]
    words = table.split("_")
    last = words[-1]
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    words[-1] = last
    return camel("_".join(words), upper=True)


def enum_name(name):
    return ENUM_NAMES.get(name, camel(name, upper=True))


def const_name(value):
    s = re.sub(r"[^0-9A-Za-z]+", "_", str(value)).strip("_").upper()
    return "V_" + s if s[:1].isdigit() else s


class Column:
    def __init__(self, table, name, spec, enums, key):
        self.name = name
        tokens = spec.split()
        self.type = tokens[0]
        mods = tokens[1:]
        self.not_null = "not_null" in mods
        self.has_default = any(m.startswith("default=") for m in mods)
        self.is_key = name == key
        self.enum = None
        self.enum_is_int = False
        m = re.fullmatch(r"enum\((\w+)\)", self.type)
        if m:
            self.enum = m.group(1)
            values = enums[self.enum]
            self.enum_is_int = all(isinstance(v, int) for v in values)
            self.type = "enum"
        self.base = re.sub(r"\(.*\)", "", self.type)
        self.required = self.not_null and not self.has_default and not self.is_key and name != "uid"

    def swift_type(self):
        if self.base in ("pk", "int"):
            return "Int64"
        if self.base == "enum":
            return "Int64" if self.enum_is_int else enum_name(self.enum)
        return {"float": "Double", "text": "String", "varchar": "String", "uuid": "String", "bool": "Bool",
                "date": "CalendarDate", "timestamp": "Date", "json": "JSONValue"}[self.base]

    def kotlin_type(self):
        if self.base in ("pk", "int") or (self.base == "enum" and self.enum_is_int):
            return "Long"
        return {"float": "Double", "text": "String", "varchar": "String", "uuid": "String", "bool": "Boolean",
                "date": "LocalDate", "timestamp": "Instant", "json": "String", "enum": "String"}[self.base]

    def kotlin_reader(self):
        return {"Long": "long", "Double": "double", "String": "string", "Boolean": "bool",
                "LocalDate": "date", "Instant": "instant"}[self.kotlin_type()] if self.base != "json" else "jsonText"

    def doc(self, spec):
        return "`%s %s`" % (self.name, spec)


def load():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    tables = []
    for tname, t in schema["tables"].items():
        specs = dict(t["columns"])
        key = next(n for n, s in specs.items() if s.split()[0] == "pk")
        # Every table also has uid right after its key (schema "about").
        items = list(specs.items())
        ki = [n for n, _ in items].index(key)
        if "uid" not in specs:
            items.insert(ki + 1, ("uid", "uuid not_null unique"))
        cols = [(Column(tname, n, s, schema["enums"], key), s) for n, s in items]
        tables.append((tname, key, cols))
    return schema, tables


def swift_ident(name):
    return "`%s`" % name if name in SWIFT_KEYWORDS else name


def gen_swift(schema, tables):
    o = []
    w = o.append
    w("// Generated by bindings/tools/gen_records.py from schema/schema.json (schema version %d). Do not edit;"
      % schema["version"])
    w("// run the script after changing the schema.")
    w("import Foundation")
    w("")
    w("// MARK: - Enumerations (extensible: a value this build does not know still decodes)")
    for ename, values in schema["enums"].items():
        if all(isinstance(v, int) for v in values):
            continue
        tn = enum_name(ename)
        w("")
        w("/// Values of the schema enum `%s`." % ename)
        w("public struct %s: SchemaEnum {" % tn)
        w("    public let rawValue: String")
        w("    public init(rawValue: String) { self.rawValue = rawValue }")
        names = []
        for v in values:
            ident = swift_ident(camel(str(v)))
            names.append(ident.strip("`") if ident.startswith("`") else ident)
            w("    public static let %s = %s(rawValue: %s)" % (ident, tn, json.dumps(v, ensure_ascii=False)))
        w("    public static let allCases: [%s] = [%s]" % (tn, ", ".join("." + n for n in names)))
        w("}")
    w("")
    w("// MARK: - Records (one per table; property names are the camelCase of the column names)")
    for tname, key, cols in tables:
        rn = record_name(tname)
        keycol = next(c for c, _ in cols if c.is_key)
        w("")
        w("/// A row of `%s`." % tname)
        w("public struct %s: GainslyRecord, Hashable {" % rn)
        w("    public static let tableName = %s" % json.dumps(tname))
        w("    public static let keyColumn = %s" % json.dumps(key))
        w("    public static let columnNames: [String] = CodingKeys.allCases.map(\\.rawValue)")
        w("    public static let notNullColumns: Set<String> = [%s]" % ", ".join(
            json.dumps(c.name) for c, _ in cols if c.not_null or c.is_key))
        w("")
        for c, spec in cols:
            t = c.swift_type() + ("" if c.required else "?")
            w("    /// %s" % c.doc(spec))
            w("    public var %s: %s" % (swift_ident(camel(c.name)), t))
        w("")
        params = []
        for c, _ in cols:
            t = c.swift_type() + ("" if c.required else "?")
            params.append("%s: %s%s" % (swift_ident(camel(c.name)), t, "" if c.required else " = nil"))
        w("    public init(")
        for i, p in enumerate(params):
            w("        %s%s" % (p, "," if i + 1 < len(params) else ""))
        w("    ) {")
        for c, _ in cols:
            n = camel(c.name)
            w("        self.%s = %s" % (n, swift_ident(n)))
        w("    }")
        w("")
        w("    public enum CodingKeys: String, CodingKey, CaseIterable {")
        for c, _ in cols:
            n = camel(c.name)
            w("        case %s%s" % (swift_ident(n), "" if n == c.name else " = %s" % json.dumps(c.name)))
        w("    }")
        w("")
        w("    public var primaryKey: Int64? {")
        w("        get { %s }" % camel(keycol.name))
        w("        set { %s = newValue }" % camel(keycol.name))
        w("    }")
        w("}")
    w("")
    w("/// Every record type, in schema order.")
    w("public let allRecordTypes: [any GainslyRecord.Type] = [")
    for i, (tname, _, _) in enumerate(tables):
        w("    %s.self%s" % (record_name(tname), "," if i + 1 < len(tables) else ""))
    w("]")
    return "\n".join(o) + "\n"


def gen_kotlin(schema, tables):
    o = []
    w = o.append
    w("// Generated by bindings/tools/gen_records.py from schema/schema.json (schema version %d). Do not edit;"
      % schema["version"])
    w("// run the script after changing the schema.")
    w("@file:Suppress(\"unused\")")
    w("")
    w("package app.gainsly")
    w("")
    w("import java.time.Instant")
    w("import java.time.LocalDate")
    w("import org.json.JSONObject")
    w("")
    w("/** The schema version these records were generated from. */")
    w("const val GENERATED_SCHEMA_VERSION = %d" % schema["version"])
    for ename, values in schema["enums"].items():
        w("")
        w("/** Values of the schema enum `%s`. */" % ename)
        w("object %s {" % enum_name(ename))
        for v in values:
            if isinstance(v, int):
                w("    const val %s = %dL" % (const_name("v%d" % v), v))
            else:
                w("    const val %s = %s" % (const_name(v), json.dumps(v, ensure_ascii=False)))
        vals = ", ".join(("%dL" % v) if isinstance(v, int) else json.dumps(v, ensure_ascii=False) for v in values)
        w("    @JvmField val ALL = listOf(%s)" % vals)
        w("}")
    for tname, key, cols in tables:
        rn = record_name(tname)
        keycol = next(c for c, _ in cols if c.is_key)
        w("")
        w("/** A row of `%s`. */" % tname)
        w("data class %s(" % rn)
        for i, (c, spec) in enumerate(cols):
            t = c.kotlin_type() + ("" if c.required else "? = null")
            w("    /** %s */" % c.doc(spec).replace("*/", "* /"))
            w("    val %s: %s%s" % (camel(c.name), t, "," if i + 1 < len(cols) else ""))
        w(") : Record {")
        w("    override val table: Table<%s> get() = Companion" % rn)
        w("    override val primaryKey: Long? get() = %s" % camel(keycol.name))
        w("")
        w("    override fun toJson(includeNulls: Boolean): JSONObject {")
        w("        val o = JSONObject()")
        for c, _ in cols:
            fn = "putJsonText" if c.base == "json" else "put"
            nulls = "false" if (c.not_null or c.is_key) else "includeNulls"
            w("        Json.%s(o, %s, %s, %s)" % (fn, json.dumps(c.name), camel(c.name), nulls))
        w("        return o")
        w("    }")
        w("")
        w("    companion object : Table<%s>(%s, %s, listOf(%s)) {" % (
            rn, json.dumps(tname), json.dumps(key), ", ".join(json.dumps(c.name) for c, _ in cols)))
        w("        override fun fromJson(o: JSONObject): %s = %s(" % (rn, rn))
        for i, (c, _) in enumerate(cols):
            reader = c.kotlin_reader()
            if c.required:
                reader = "required" + reader[:1].upper() + reader[1:]
            w("            %s = Json.%s(o, %s)%s" % (camel(c.name), reader, json.dumps(c.name),
                                                    "," if i + 1 < len(cols) else ""))
        w("        )")
        w("    }")
        w("}")
    w("")
    w("/** Every table's record reader, in schema order. */")
    w("@JvmField")
    w("val ALL_TABLES: List<Table<*>> = listOf(")
    for i, (tname, _, _) in enumerate(tables):
        w("    %s%s" % (record_name(tname), "," if i + 1 < len(tables) else ""))
    w(")")
    return "\n".join(o) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    schema, tables = load()
    outputs = [(SWIFT_OUT, gen_swift(schema, tables)), (KOTLIN_OUT, gen_kotlin(schema, tables))]
    stale = False
    for path, text in outputs:
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if old == text:
            continue
        if check:
            stale = True
            rel = os.path.relpath(path, ROOT)
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True), rel, rel + " (generated)", n=1))
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote", os.path.relpath(path, ROOT))
    if stale:
        print("\nThe binding records are out of date with schema/schema.json: run bindings/tools/gen_records.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
