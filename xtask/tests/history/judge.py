#!/usr/bin/env python3
"""Independent structural judge: is an OpenAPI 3.0 spec change breaking for existing HTTP callers?

Usage:
    judge.py REPO OUT.tsv             # the table `cargo xtask history` checks (twilio-oai.tsv)
    judge.py REPO OUT_JSON            # judge every consecutive release pair of twilio-oai
    judge.py --files OLD.json NEW.json  # judge one pair of files, print the findings

Rules (the "wire rules" of the brief):
  operation : removed (METHOD + path template with parameter names ignored) -> breaking;
              server URL or security change -> breaking; operationId / path-param rename -> not.
  request   : the new spec must accept everything the old one accepted.
              removed param/field, new required param/field, optional->required, narrowed or
              incompatible type, enum value removed, nullable->not nullable -> breaking.
              Tightened constraints (max/min/length/items/pattern/new enum) -> "constraints".
  response  : the new spec must only produce what old clients expected.
              removed field, required->optional, became nullable, widened or incompatible type
              -> breaking.  Enum value added / removed, narrowed type, new optional field -> not,
              but values removed and added in the same enum (a rename) -> breaking.
Only local refs (#/...) are resolved.  Descriptions, examples, x-* are ignored.
"""
import json
import re
import subprocess
import sys

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
CONSTRAINT_UPPER = ("maximum", "maxLength", "maxItems", "maxProperties")   # lowering = tightening
CONSTRAINT_LOWER = ("minimum", "minLength", "minItems", "minProperties")   # raising = tightening
SCALAR_FORMAT_TYPES = ("string", "integer", "number")
# JSON Schema formats are annotations: a server does not accept less because a spec now says
# `format: phone-number` or `uri`. These are the formats clients turn into types (a date-time is
# parsed, an int32 is stored in 32 bits), so adding, dropping or swapping one changes what a
# client can send or read. The others are ignored.
TYPED_FORMATS = ("date-time", "date", "int32", "int64", "float", "double", "binary", "byte")
INT_FORMAT_RANK = {"int32": 1, "int64": 2}     # int32 values are a subset of int64 values
NUMBER_FORMAT_RANK = {"float": 1, "double": 2}  # and float values of double values
# A Twilio SID pattern: two letters and 32 hex digits. Clients that type SIDs (ours does) check
# the prefix when they decode one.
SID_PATTERN = re.compile(r"\^[A-Z]{2}\[0-9a-fA-F\]\{32\}\$")


# ----------------------------------------------------------------------------------------------
# Spec access
# ----------------------------------------------------------------------------------------------
class Spec:
    def __init__(self, doc):
        self.doc = doc

    def resolve(self, node):
        """Follow local $ref chains; return the target node (or {} for a dangling ref)."""
        seen = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                return {}
            seen.add(ref)
            target = self.doc
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    return {}
                target = target[part]
            node = target
        return node if node is not None else {}

    def operations(self):
        """{(METHOD, normalized path): (original path, path item, operation)}"""
        ops = {}
        for path, item in (self.doc.get("paths") or {}).items():
            item = self.resolve(item)
            norm = re.sub(r"\{[^}]*\}", "{}", path)
            for m in METHODS:
                if m in item:
                    ops.setdefault((m.upper(), norm), (path, item, item[m]))
        return ops

    def servers(self, item, op):
        srv = op.get("servers") or item.get("servers") or self.doc.get("servers") or []
        return sorted(s.get("url", "") for s in srv)

    def security(self, op):
        sec = op["security"] if "security" in op else self.doc.get("security", [])
        schemes = (self.doc.get("components") or {}).get("securitySchemes") or {}
        out = []
        for req in sec or []:
            out.append(sorted((name, canon(strip_docs(self.resolve(schemes.get(name, {})))),
                               sorted(scopes)) for name, scopes in req.items()))
        return sorted(out)

    def parameters(self, item, op):
        """Effective parameters: path-item params overridden by operation params."""
        params = {}
        for p in (item.get("parameters") or []) + (op.get("parameters") or []):
            p = self.resolve(p)
            params[(p.get("in"), p.get("name"))] = p
        return list(params.values())


def canon(x):
    return json.dumps(x, sort_keys=True)


def strip_docs(x):
    """Drop documentation-only keys so that canonical comparison ignores them."""
    if isinstance(x, dict):
        return {k: strip_docs(v) for k, v in x.items()
                if k not in ("description", "summary", "example", "examples", "title")
                and not k.startswith("x-")}
    if isinstance(x, list):
        return [strip_docs(v) for v in x]
    return x


# ----------------------------------------------------------------------------------------------
# Findings collector
# ----------------------------------------------------------------------------------------------
class Result:
    def __init__(self):
        self.breaking = []
        self.constraints = []
        self.classes = set()
        self.info = []          # non-breaking detail lines worth keeping (e.g. enum values added)

    def brk(self, side, op, what, old=None, new=None):
        self.breaking.append(line(side, op, what, old, new))

    def constraint(self, op, what, old, new, side="request"):
        """A potential break: a request limit tightened, or a free-form value's promise changed."""
        self.constraints.append(line(side, op, what, old, new))

    def note(self, cls, side=None, op=None, what=None, old=None, new=None):
        self.classes.add(cls)
        if what:
            self.info.append(line(side, op, what, old, new))


def line(side, op, what, old, new):
    s = f"{side} {op}: {what}"
    if old is not None or new is not None:
        s += f" ({short(old)} -> {short(new)})"
    return s


def short(v):
    s = v if isinstance(v, str) else json.dumps(v, sort_keys=True)
    return s if len(s) <= 120 else s[:117] + "..."


# ----------------------------------------------------------------------------------------------
# Schema comparison
# ----------------------------------------------------------------------------------------------
def kind(s):
    """(type, format) of a resolved schema; type None means 'any value'."""
    t = s.get("type")
    if t is None:
        if "properties" in s:
            t = "object"
        elif "items" in s:
            t = "array"
    # formats on objects/arrays/booleans (Twilio's "uri-map", "object", price shapes...) are
    # code-generation hints with no effect on the wire; only scalar formats constrain values
    fmt = s.get("format") if t in SCALAR_FORMAT_TYPES else None
    return t, fmt if fmt in TYPED_FORMATS else None


def kind_str(k):
    t, f = k
    if t is None:
        return "any"
    return f"{t}({f})" if f else t


def accepts(a, b):
    """Does type a accept every value of type b?"""
    (ta, fa), (tb, fb) = a, b
    if ta is None:
        return True
    if tb is None:
        return False
    if ta == "number" and tb == "integer":
        return fa is None
    if ta != tb:
        return False
    if fa is None or fa == fb:
        return True
    for rank in (INT_FORMAT_RANK, NUMBER_FORMAT_RANK):
        if fa in rank and fb in rank:
            return rank[fa] >= rank[fb]
    return False


def flatten_all_of(spec, schema):
    """Resolve a schema and merge an allOf into one schema (properties and required are unioned)."""
    schema = spec.resolve(schema)
    if "allOf" not in schema:
        return schema
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    props, required = dict(merged.get("properties") or {}), set(merged.get("required") or [])
    for part in schema["allOf"]:
        part = flatten_all_of(spec, part)
        for k, v in part.items():
            if k not in ("properties", "required"):
                merged.setdefault(k, v)
        props.update(part.get("properties") or {})
        required |= set(part.get("required") or [])
    if props:
        merged["properties"] = props
    if required:
        merged["required"] = sorted(required)
    return merged


class SchemaCmp:
    """Compare an old and a new schema in one direction ('request' or 'response')."""

    def __init__(self, old_spec, new_spec, res, side, op):
        self.o, self.n, self.res, self.side, self.op = old_spec, new_spec, res, side, op
        self.seen = set()

    def cmp(self, old, new, where, optional=False):
        """`optional`: the value is a property its object does not require (absent is allowed)."""
        key = (id(old), id(new))
        if key in self.seen:          # recursion guard for cyclic $refs
            return
        self.seen.add(key)
        old, new = flatten_all_of(self.o, old), flatten_all_of(self.n, new)
        if canon(strip_docs(old)) == canon(strip_docs(new)) and "$ref" not in canon(old):
            return
        req = self.side == "request"
        r, op = self.res, self.op
        for comb in ("oneOf", "anyOf", "not"):
            if comb in old or comb in new:
                if canon(strip_docs(old.get(comb))) != canon(strip_docs(new.get(comb))):
                    r.brk(self.side, op, f"{where or 'body'}: {comb} composition changed (not analysed)")
                return

        # --- type ---
        ko, kn = kind(old), kind(new)
        if ko != kn:
            wider = accepts(kn, ko) if req else accepts(ko, kn)   # the safe direction
            narrower = accepts(ko, kn) if req else accepts(kn, ko)
            if wider:
                r.note(f"type {'widened' if req else 'narrowed'} in {self.side}", self.side, op,
                       f"{where}: type", kind_str(ko), kind_str(kn))
            elif narrower and {ko[0], kn[0]} == {"object", None}:
                # A free-form value gaining or losing `type: object`: the server sends (or
                # takes) what it did, but the spec no longer promises an object (or now asks
                # for one). Callers fail only if a non-object actually arrives: potential.
                r.constraint(op, f"{where or 'body'}: free-form {'object now required' if req else 'value may now be any JSON'}",
                             kind_str(ko), kind_str(kn), side=self.side)
                return
            elif narrower:
                r.brk(self.side, op, f"{where or 'body'}: type {'narrowed' if req else 'widened'}",
                      kind_str(ko), kind_str(kn))
                return
            else:
                r.brk(self.side, op, f"{where or 'body'}: type changed incompatibly", kind_str(ko), kind_str(kn))
                return
            if ko[0] != kn[0]:          # e.g. object -> any in a request: nothing more to compare
                if req and kn[0] is None:
                    r.note("free-form widened in request")
                return

        # --- nullable ---
        on, nn = bool(old.get("nullable")), bool(new.get("nullable"))
        if on != nn:
            if req and on:
                r.brk(self.side, op, f"{where}: no longer nullable", "nullable", "not nullable")
            elif not req and nn and optional:
                # Absent was already allowed: null is one more way to say "no value", and
                # clients that read the field as optional (ours: Option<T>) see no difference.
                r.note("optional response field became nullable")
            elif not req and nn:
                r.brk(self.side, op, f"{where}: became nullable", "not nullable", "nullable")
            else:
                r.note(f"nullability relaxed in {self.side}")

        self.cmp_enum(old, new, where)
        if req:
            self.cmp_constraints(old, new, where)
        elif old.get("pattern") != new.get("pattern"):
            if SID_PATTERN.fullmatch(old.get("pattern") or ""):
                r.brk(self.side, op, f"{where}: SID prefix changed", old.get("pattern"),
                      new.get("pattern"))
            else:
                r.note("response pattern changed", self.side, op, f"{where}: pattern",
                       old.get("pattern"), new.get("pattern"))

        t = kn[0]
        if t == "object":
            self.cmp_object(old, new, where)
        elif t == "array":
            self.cmp(old.get("items", {}), new.get("items", {}), f"{where}[]")

    def cmp_enum(self, old, new, where):
        r, op, req = self.res, self.op, self.side == "request"
        eo, en = old.get("enum"), new.get("enum")
        if eo is None and en is None:
            return
        if eo is None:
            if req:
                r.constraint(op, f"{where}: enum introduced on free value", None, en)
            else:
                r.note("response enum introduced (narrowed)")
            return
        if en is None:
            if req:
                r.note("request enum dropped (widened)")
            else:
                r.note("response enum dropped (values may be new)", self.side, op,
                       f"{where}: enum dropped", eo, None)
            return
        so, sn = [canon(v) for v in eo], [canon(v) for v in en]
        removed = [v for v, c in zip(eo, so) if c not in sn]
        added = [v for v, c in zip(en, sn) if c not in so]
        if removed and added and not req:
            # One value gone and another come in the same place reads as a rename: clients
            # matching on the old value stop matching (judged breaking since issue 25).
            r.brk("response", op, f"{where}: enum value replaced", removed, added)
            return
        if removed:
            if req:
                r.brk("request", op, f"{where}: enum value removed", removed, None)
            else:
                r.note("response enum value removed")
        if added:
            if req:
                r.note("request enum value added")
            else:
                r.note("response enum value added", "response", op,
                       f"{where}: enum value added", None, added)

    def cmp_constraints(self, old, new, where):
        r, op = self.res, self.op
        for k in CONSTRAINT_UPPER:
            a, b = old.get(k), new.get(k)
            if b is not None and (a is None or b < a):
                r.constraint(op, f"{where}: {k} lowered", a, b)
        for k in CONSTRAINT_LOWER:
            a, b = old.get(k), new.get(k)
            if b is not None and (a is None or b > a):
                r.constraint(op, f"{where}: {k} raised", a, b)
        for k in ("exclusiveMaximum", "exclusiveMinimum"):
            if new.get(k) and not old.get(k):
                r.constraint(op, f"{where}: {k} set", old.get(k), new.get(k))
        if "multipleOf" in new and old.get("multipleOf") != new["multipleOf"]:
            r.constraint(op, f"{where}: multipleOf changed", old.get("multipleOf"), new["multipleOf"])
        if "pattern" in new and old.get("pattern") != new["pattern"]:
            r.constraint(op, f"{where}: pattern {'changed' if 'pattern' in old else 'added'}",
                         old.get("pattern"), new["pattern"])

    def cmp_object(self, old, new, where):
        r, op, req = self.res, self.op, self.side == "request"
        po, pn = old.get("properties") or {}, new.get("properties") or {}
        ro, rn = set(old.get("required") or []), set(new.get("required") or [])
        def child(name):
            return f"{where}.{name}" if where else f"field {name}"
        if req and not pn and po and new.get("additionalProperties") not in (None, False):
            r.note("request object became free-form (widened)")   # explicitly accepts any key now
            return
        for name in po:
            if name not in pn:
                r.brk(self.side, op, f"{child(name)} removed")
        for name in pn:
            if name in po:
                continue
            if req and name in rn:
                r.brk("request", op, f"required {child(name)} added")
            else:
                r.note(f"optional field added in {self.side}")
        for name in po:
            if name not in pn:
                continue
            if req and name in rn and name not in ro:
                r.brk("request", op, f"{child(name)} optional -> required", "optional", "required")
            if not req and name in ro and name not in rn:
                r.brk("response", op, f"{child(name)} required -> optional", "required", "optional")
            self.cmp(po[name], pn[name], child(name), optional=name not in rn)
        # additionalProperties: only a change from "allowed" to "forbidden" matters in requests
        ao, an = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if req and an is False and ao is not False:
            r.brk("request", op, f"{where or 'body'}: additionalProperties forbidden", ao, an)
        elif isinstance(ao, dict) and isinstance(an, dict):
            self.cmp(ao, an, child("<additionalProperties>"))


# ----------------------------------------------------------------------------------------------
# Operation comparison
# ----------------------------------------------------------------------------------------------
def judge(old_doc, new_doc):
    o, n, res = Spec(old_doc), Spec(new_doc), Result()
    oops, nops = o.operations(), n.operations()
    for key, (opath, oitem, oop) in oops.items():
        label = f"{key[0]} {opath}"
        if key not in nops:
            res.brk("operation", label, "operation removed")
            continue
        npath, nitem, nop = nops[key]
        if opath != npath:
            res.note("path parameter renamed", "operation", label, "path template", opath, npath)
        if oop.get("operationId") != nop.get("operationId"):
            res.note("operationId renamed", "operation", label, "operationId",
                     oop.get("operationId"), nop.get("operationId"))
        so, sn = o.servers(oitem, oop), n.servers(nitem, nop)
        if so != sn:
            res.brk("operation", label, "server URL changed", so, sn)
        if o.security(oop) != n.security(nop):
            if n.security(nop) in ([], [[]]):
                # Credentials are no longer required: callers that send them still succeed.
                res.note("security requirement dropped", "operation", label, "security",
                         o.security(oop), n.security(nop))
            else:
                res.brk("operation", label, "security changed", o.security(oop), n.security(nop))
        cmp_params(o, n, res, label, opath, npath, o.parameters(oitem, oop), n.parameters(nitem, nop))
        cmp_request_body(o, n, res, label, oop.get("requestBody"), nop.get("requestBody"))
        cmp_responses(o, n, res, label, oop.get("responses") or {}, nop.get("responses") or {})
    for key in nops:
        if key not in oops:
            res.note("operation added")
    return res


def param_key(p):
    name = p.get("name", "")
    return (p.get("in"), name.lower() if p.get("in") == "header" else name)


def cmp_params(o, n, res, label, opath, npath, old_params, new_params):
    # path parameters are matched by position in the template, not by name
    def path_params(params, path):
        by_name = {p.get("name"): p for p in params if p.get("in") == "path"}
        return [by_name.get(name, {}) for name in re.findall(r"\{([^}]*)\}", path)]
    for i, (po, pn) in enumerate(zip(path_params(old_params, opath), path_params(new_params, npath))):
        SchemaCmp(o, n, res, "request", label).cmp(po.get("schema", {}), pn.get("schema", {}),
                                                    f"path parameter #{i + 1} {pn.get('name')}")
    old = {param_key(p): p for p in old_params if p.get("in") != "path"}
    new = {param_key(p): p for p in new_params if p.get("in") != "path"}
    for k, p in old.items():
        where = f"{k[0]} parameter {p.get('name')}"
        if k not in new:
            res.brk("request", label, f"{where} removed")
            continue
        q = new[k]
        if q.get("required") and not p.get("required"):
            res.brk("request", label, f"{where} optional -> required", "optional", "required")
        SchemaCmp(o, n, res, "request", label).cmp(p.get("schema", {}), q.get("schema", {}), where)
    for k, q in new.items():
        if k not in old:
            if q.get("required"):
                res.brk("request", label, f"required {k[0]} parameter {q.get('name')} added")
            else:
                res.note("optional parameter added in request")


def cmp_request_body(o, n, res, label, old_rb, new_rb):
    old_rb, new_rb = o.resolve(old_rb) if old_rb else None, n.resolve(new_rb) if new_rb else None
    if not old_rb and not new_rb:
        return
    if not old_rb:
        required_fields = any(n.resolve(mt.get("schema", {})).get("required")
                              for mt in (new_rb.get("content") or {}).values())
        if new_rb.get("required") or required_fields:
            res.brk("request", label, "required request body added")
        else:
            res.note("optional request body added")
        return
    if not new_rb:
        res.brk("request", label, "request body removed")
        return
    if new_rb.get("required") and not old_rb.get("required"):
        res.brk("request", label, "request body optional -> required", "optional", "required")
    oc, nc = old_rb.get("content") or {}, new_rb.get("content") or {}
    for mt, om in oc.items():
        if mt not in nc:
            res.brk("request", label, f"request media type {mt} removed", sorted(oc), sorted(nc))
            continue
        SchemaCmp(o, n, res, "request", label).cmp(om.get("schema", {}), nc[mt].get("schema", {}), "")


def cmp_responses(o, n, res, label, old_resps, new_resps):
    def two_xx(resps):
        return {str(c): r for c, r in resps.items() if re.fullmatch(r"2(\d\d|XX)", str(c))}
    old2, new2 = two_xx(old_resps), two_xx(new_resps)
    for code, orsp in old2.items():
        if code in new2:
            cmp_response_body(o, n, res, label, code, orsp, new2[code])
            continue
        replacements = [c for c in new2 if c not in old2] or list(new2)
        if not replacements:
            res.brk("response", label, f"{code} response removed, no 2xx response left",
                    sorted(old2), sorted(new2))
            continue
        # old status no longer declared: breaking only if the body type changed
        res.note("2xx status changed", "response", label, "2xx status", sorted(old2), sorted(new2))
        trial = Result()
        cmp_response_body(o, n, trial, label, code, orsp, new2[replacements[0]])
        res.breaking += trial.breaking
        res.classes |= trial.classes
        res.info += trial.info
    for code in new2:
        if code not in old2 and old2:
            res.note("extra 2xx status declared")


def cmp_response_body(o, n, res, label, code, orsp, nrsp):
    oc = o.resolve(orsp).get("content") or {}
    nc = n.resolve(nrsp).get("content") or {}
    if not oc:
        if nc:
            res.note("response body added where there was none")
        return
    for mt, om in oc.items():
        if mt not in nc:
            res.brk("response", label, f"{code} response media type {mt} no longer produced",
                    sorted(oc), sorted(nc))
            continue
        SchemaCmp(o, n, res, "response", label).cmp(om.get("schema", {}), nc[mt].get("schema", {}),
                                                     "" if code.startswith("20") else code)


# ----------------------------------------------------------------------------------------------
# Release notes (CHANGES.md)
# ----------------------------------------------------------------------------------------------
def release_section(changes, version):
    """Lines of the CHANGES.md section for `version` (empty if there is none)."""
    lines, out, inside = changes.splitlines(), [], False
    for ln in lines:
        m = re.match(r"^\[[^\]]*\] Version (\S+)\s*$", ln)
        if m:
            if inside:
                break
            inside = m.group(1) == version
            continue
        if inside:
            out.append(ln)
    return out


def breaking_notes(section):
    """{heading: [entry text, ...]} for entries marked (breaking change)."""
    out, heading = {}, None
    for ln in section:
        m = re.match(r"^\*\*([^*]+)\*\*\s*$", ln.strip())
        if m:
            heading = m.group(1).strip()
            continue
        if "(breaking change)" in ln.lower() and heading:
            out.setdefault(heading, []).append(ln.strip().lstrip("- ").strip())
    return out


def product_of(path):
    """twilio_conversations_v1.json -> conversations; twilio_ip_messaging_v2.json -> ip_messaging."""
    stem = path.rsplit("/", 1)[-1][len("twilio_"):-len(".json")]
    return "ip_messaging" if stem.startswith("ip_messaging") else stem.split("_")[0]


# Headings whose entries also apply to an alias product (ip_messaging mirrors chat)
HEADING_ALIASES = {"chat": {"chat", "ip_messaging"}}


def version_of(path):
    m = re.search(r"_(v\d+)\.json$", path)
    return m.group(1) if m else None


def notes_for(notes, path):
    """Breaking entries under the file's product heading.  An entry that names an API version
    ("under version `/v2`", "numbers/v2/...", "in v2") only applies to that version's file."""
    prod, ver = product_of(path), version_of(path)
    hits = []
    for heading, entries in notes.items():
        h = heading.lower().replace(" ", "_")
        if h.startswith("library") or prod not in HEADING_ALIASES.get(h, {h}):
            continue
        for e in entries:
            named = set(re.findall(r"\b(v\d+)\b", e.lower()))
            if named and ver and ver not in named:
                continue
            hits.append(f"[{heading}] {e}")
    return hits


# ----------------------------------------------------------------------------------------------
# Driver over the git history
# ----------------------------------------------------------------------------------------------
def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True).stdout


def vkey(tag):
    """Semantic-version sort key: pre-releases sort before their release."""
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)(?:-rc\.(\d+))?", tag)
    major, minor, patch, rc = m.groups()
    return (int(major), int(minor), int(patch), int(rc) if rc else 10 ** 9)


def release_chains(repo):
    """Main line (releases in version order) and the 2.0.0-rc line (forked from a main release)."""
    tags = sorted(git(repo, "tag").decode().split(), key=vkey)
    main = [t for t in tags if "-" not in t]
    rcs = [t for t in tags if "-" in t]
    chains = [("main", main)]
    if rcs:
        base = [t for t in main if subprocess.run(
            ["git", "-C", repo, "merge-base", "--is-ancestor", t, rcs[0]]).returncode == 0]
        chains.append(("rc", ([base[-1]] if base else []) + rcs))
    return tags, chains


def run(repo, out_path):
    tags, chains = release_chains(repo)
    blobs, pairs, skipped = {}, [], []
    cache = {}

    def load(tag, path):
        sha = blobs[tag][path]
        if sha not in cache:
            if len(cache) > 200:
                cache.clear()
            cache[sha] = json.loads(git(repo, "cat-file", "blob", sha))
        return cache[sha]

    for tag in tags:
        blobs[tag] = {}
        for ln in git(repo, "ls-tree", "-r", tag, "spec/json").decode().splitlines():
            meta, path = ln.split("\t", 1)
            if re.fullmatch(r"spec/json/twilio_.*\.json", path):
                blobs[tag][path] = meta.split()[2]
    for chain, seq in chains:
        for a, b in zip(seq, seq[1:]):
            changes = git(repo, "show", f"{b}:CHANGES.md").decode("utf-8", "replace")
            section = release_section(changes, b)
            notes = breaking_notes(section)
            changed = git(repo, "diff", "--name-only", a, b, "--", "spec/json").decode().split()
            for path in sorted(p for p in changed if re.fullmatch(r"spec/json/twilio_.*\.json", p)):
                if path not in blobs[a] or path not in blobs[b]:
                    skipped.append({"old_tag": a, "new_tag": b, "path": path, "line": chain,
                                    "kind": "added" if path in blobs[b] else "removed"})
                    continue
                old_doc, new_doc = load(a, path), load(b, path)
                unreadable = next((t for t, d in ((a, old_doc), (b, new_doc)) if external_refs(d)), None)
                res = judge(old_doc, new_doc)
                hits = notes_for(notes, path)
                pairs.append({
                    "old_tag": a, "new_tag": b, "path": path, "line": chain,
                    "unreadable": unreadable,
                    "judge_breaking": bool(res.breaking),
                    "breaking": res.breaking,
                    "constraints": res.constraints,
                    "notes_breaking": bool(hits),
                    "notes": hits,
                    "classes": sorted(res.classes),
                    "info": res.info,
                    "release_notes_section": bool(section),
                    "library_breaking_notes": [f"[{h}] {e}" for h, es in notes.items()
                                               if h.lower().startswith("library") for e in es],
                })
            print(f"{chain} {a} -> {b}: {len(pairs)} pairs so far", file=sys.stderr)
    if out_path.endswith(".tsv"):
        write_table(out_path, pairs, skipped)
    else:
        with open(out_path, "w") as f:
            json.dump(pairs, f, indent=1)
        with open(out_path.replace(".json", "_skipped.json"), "w") as f:
            json.dump(skipped, f, indent=1)
    return tags, chains, pairs, skipped


def external_refs(node):
    """Whether a spec refers to files beside it (which a release may not contain)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return True
        return any(external_refs(v) for v in node.values())
    if isinstance(node, list):
        return any(external_refs(v) for v in node)
    return False


def summary(findings, limit=2):
    shown = "; ".join(findings[:limit])
    return shown + (f" (+{len(findings) - limit} more)" if len(findings) > limit else "")


def write_table(out_path, pairs, skipped):
    """The table `cargo xtask history` checks the diff against (see README.md beside this)."""
    with open(out_path, "w") as f:
        f.write("# Consecutive releases of one spec of twilio/twilio-oai, judged by judge.py; see README.md.\n")
        f.write("# old_tag\tnew_tag\tpath\tverdict (breaking|potential|compatible)\t"
                "Twilio's notes (breaking|-)\twhy\n")
        for s in skipped:
            f.write(f"# not a pair: {s['path']} {s['kind']} between {s['old_tag']} and {s['new_tag']}\n")
        for p in pairs:
            if p.get("unreadable"):
                f.write(f"# not a pair: {p['path']} at {p['unreadable']} refers to files the release "
                        f"does not contain\n")
                continue
            if p["breaking"]:
                verdict, why = "breaking", summary(p["breaking"])
            elif p["constraints"]:
                verdict, why = "potential", summary(p["constraints"])
            else:
                verdict = "compatible"
                why = "; ".join(p["classes"]) or "no API change (descriptions, examples, version)"
            notes = "breaking" if p["notes_breaking"] else "-"
            why = why.replace("\t", " ").replace("\n", " ")
            f.write(f"{p['old_tag']}\t{p['new_tag']}\t{p['path']}\t{verdict}\t{notes}\t{why}\n")


if __name__ == "__main__":
    if sys.argv[1] == "--files":
        r = judge(json.load(open(sys.argv[2])), json.load(open(sys.argv[3])))
        print("BREAKING" if r.breaking else "not breaking")
        for x in r.breaking:
            print("  B", x)
        for x in r.constraints:
            print("  C", x)
        for x in r.info:
            print("  i", x)
        print("  classes:", sorted(r.classes))
    else:
        run(sys.argv[1], sys.argv[2])
