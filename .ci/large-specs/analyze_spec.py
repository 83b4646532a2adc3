#!/usr/bin/env python3
"""Measure an OpenAPI document for SDK-generator stress features.

usage: analyze_spec.py FILE [FILE...]   (JSON or YAML)  -> one JSON line per file

Counts:
  ops            method keys under paths (+ webhooks for 3.1, + x-webhooks)
  schemas        len(components.schemas)  (or definitions for swagger 2)
  union_depth_inline  max nesting of anyOf/oneOf/allOf within the tree (no $ref following)
  union_depth_ref     same, but following local $refs (cycles cut)
  disc_total / disc_nomap   discriminator objects / those without `mapping`
  const          schema `const` keywords
  type_arrays    `type` whose value is a list
  defs_keys / defs_entries  `$defs` keywords / total entries under them
  sse            text/event-stream media types under responses
  nullable       `nullable: true` (3.0 style)
  null_members   anyOf/oneOf/allOf members that are exactly {type: "null"} (3.1 nullability via union)
  union_max_width  largest anyOf/oneOf/allOf member list
"""
import json, sys, hashlib, os

HTTP = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# keys whose dict value is a map of user-chosen names -> objects
NAME_MAPS = {"properties", "patternProperties", "$defs", "definitions", "schemas",
             "responses", "parameters", "headers", "content", "paths", "webhooks",
             "x-webhooks", "callbacks", "links", "securitySchemes", "requestBodies",
             "pathItems", "dependentSchemas", "encoding", "variables", "scopes",
             "examples"}
# keys whose values are raw data, never schemas
DATA = {"example", "examples", "default", "enum", "const", "x-examples", "mapping",
        "x-octokit", "x-github", "x-stainless", "x-codeSamples", "x-code-samples"}
UNION = ("anyOf", "oneOf", "allOf")


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw.lstrip()[:1] in (b"{", b"["):
        return json.loads(raw)
    import yaml
    return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def analyze(doc):
    c = dict(const=0, type_arrays=0, defs_keys=0, defs_entries=0, disc_total=0,
             disc_nomap=0, sse=0, nullable=0, union_nodes=0,
             union_max_width=0, null_members=0)
    inline_max = 0
    # iterative walk: (node, parent_key, is_name_map, union_depth, in_responses)
    stack = [(doc, None, False, 0, False)]
    while stack:
        node, pkey, is_map, depth, in_resp = stack.pop()
        if isinstance(node, dict):
            if is_map:
                for k, v in node.items():
                    if pkey == "content" and k.split(";")[0].strip() == "text/event-stream" and in_resp:
                        c["sse"] += 1
                    if pkey == "examples":
                        continue
                    stack.append((v, k, False, depth, in_resp or pkey == "responses"))
                continue
            for k, v in node.items():
                if k == "const":
                    c["const"] += 1
                    continue
                if k in DATA:
                    continue
                if k == "type" and isinstance(v, list):
                    c["type_arrays"] += 1
                if k == "nullable" and v is True:
                    c["nullable"] += 1
                if k == "$defs" and isinstance(v, dict):
                    c["defs_keys"] += 1
                    c["defs_entries"] += len(v)
                if k == "discriminator" and isinstance(v, dict):
                    c["disc_total"] += 1
                    if not v.get("mapping"):
                        c["disc_nomap"] += 1
                    continue
                nd = depth
                if k in UNION and isinstance(v, list):
                    nd = depth + 1
                    c["union_nodes"] += 1
                    c["union_max_width"] = max(c["union_max_width"], len(v))
                    c["null_members"] += sum(1 for x in v if isinstance(x, dict) and x.get("type") == "null")
                    inline_max = max(inline_max, nd)
                stack.append((v, k, k in NAME_MAPS and isinstance(v, dict), nd,
                              in_resp or k == "responses"))
        elif isinstance(node, list):
            for v in node:
                stack.append((v, pkey, False, depth, in_resp))
    c["union_depth_inline"] = inline_max
    return c


def ref_depth(doc):
    """Max anyOf/oneOf/allOf nesting following local $refs; cycles cut."""
    sys.setrecursionlimit(100000)
    memo = {}
    onstack = set()

    def resolve(ref):
        if not ref.startswith("#/"):
            return None
        n = doc
        for p in ref[2:].split("/"):
            p = p.replace("~1", "/").replace("~0", "~")
            if isinstance(n, dict) and p in n:
                n = n[p]
            elif isinstance(n, list) and p.isdigit() and int(p) < len(n):
                n = n[int(p)]
            else:
                return None
        return n

    def d(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                r = node["$ref"]
                if r in memo:
                    return memo[r]
                if r in onstack:
                    return 0
                onstack.add(r)
                t = resolve(r)
                v = d(t) if t is not None else 0
                onstack.discard(r)
                memo[r] = v
                return v
            best = 0
            for k, v in node.items():
                if k in DATA or k == "discriminator":
                    continue
                if k in UNION and isinstance(v, list):
                    best = max(best, 1 + max((d(x) for x in v), default=0))
                else:
                    best = max(best, d(v))
            return best
        if isinstance(node, list):
            return max((d(x) for x in node), default=0)
        return 0

    return d(doc.get("paths", {})), d(doc.get("components", {}).get("schemas", {}) or doc.get("definitions", {}))


def main():
    for path in sys.argv[1:]:
        doc = load(path)
        ver = doc.get("openapi") or ("swagger " + str(doc.get("swagger")))
        ops = 0
        for key in ("paths", "webhooks", "x-webhooks"):
            for item in (doc.get(key) or {}).values():
                if isinstance(item, dict):
                    ops += sum(1 for m in item if m in HTTP)
        paths_ops = sum(sum(1 for m in it if m in HTTP) for it in (doc.get("paths") or {}).values() if isinstance(it, dict))
        schemas = len((doc.get("components") or {}).get("schemas") or doc.get("definitions") or {})
        res = dict(file=path, size=os.path.getsize(path),
                   sha256=hashlib.sha256(open(path, "rb").read()).hexdigest(),
                   openapi=ver, ops=ops, path_ops=paths_ops, webhooks=len(doc.get("webhooks") or doc.get("x-webhooks") or {}),
                   schemas=schemas, title=(doc.get("info") or {}).get("title"),
                   info_version=(doc.get("info") or {}).get("version"))
        res.update(analyze(doc))
        try:
            p, s = ref_depth(doc)
            res["union_depth_ref"] = max(p, s)
        except RecursionError:
            res["union_depth_ref"] = "recursion"
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
