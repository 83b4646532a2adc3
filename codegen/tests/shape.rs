//! The generator's shape, checked: no import circle between its modules, and no function longer
//! than [`MAX_FUNCTION_LINES`]. Both are read from the source text, so they hold for code
//! written after them, not only for the code they were written against (issue 29, and the
//! layers ARCHITECTURE.md describes).
//!
//! The reading is lexical, on rustfmt's layout (which `cargo fmt --check` enforces): comments,
//! string literals and `quote!` bodies (the generated crate's paths, not ours) are skipped; every
//! other `crate::`, `super::`, `self::` or child-module path, in a `use` or inline, is an edge
//! from the file it is written in to the file of the module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The longest a function may be, from its `fn` line to its closing brace: longer ones do
/// several things, which is where bugs hide and readers lose the thread.
const MAX_FUNCTION_LINES: usize = 80;

/// Folders of `codegen/src` whose functions are not measured yet (none, since the diff's
/// split landed); a folder put here is still checked for import circles.
const LENGTH_NOT_YET: &[&str] = &[];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file below `dir`, relative to it, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The module a file is: `lib.rs` the root, `a/mod.rs` and `a.rs` are `a`, `a/b.rs` is `a::b`.
fn module_of(file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    match last.as_str() {
        "lib.rs" | "mod.rs" => {}
        name => parts.push(name.strip_suffix(".rs").unwrap().to_owned()),
    }
    parts
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

/// Rust source as identifiers, `::` and punctuation: comments, literals and lifetimes dropped.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&chars, i);
        } else if c == '"' {
            i = skip_string(&chars, i + 1, 0);
        } else if c == '\'' {
            i = skip_char_or_lifetime(&chars, i);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // Raw and byte strings: `r"..."`, `r#"..."#`, `b"..."`, `br#"..."#`.
            let hashes = chars[i..].iter().take_while(|&&c| c == '#').count();
            if matches!(word.as_str(), "r" | "br" | "b" | "c" | "cr")
                && chars.get(i + hashes) == Some(&'"')
            {
                i = skip_string(&chars, i + hashes + 1, hashes);
            } else {
                out.push(Token::Ident(word));
            }
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c == ':' && next == Some(':') {
            out.push(Token::PathSep);
            i += 2;
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

fn skip_block_comment(chars: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// Skips a string whose text starts at `i`; a raw string (`hashes` > 0, or called for `r"`)
/// ends at `"` and that many `#`s. Escapes are only skipped in plain strings, which is
/// harmless for raw ones: `\"` cannot end a raw string of our source anyway.
fn skip_string(chars: &[char], mut i: usize, hashes: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' if hashes == 0 => i += 2,
            '"' if chars[i + 1..].iter().take(hashes).all(|&c| c == '#')
                && chars.len() >= i + 1 + hashes =>
            {
                return i + 1 + hashes;
            }
            _ => i += 1,
        }
    }
    i
}

/// `'x'`, `'\n'`, `'\u{1F600}'` are characters; `'a` is a lifetime (or a label).
fn skip_char_or_lifetime(chars: &[char], i: usize) -> usize {
    if chars.get(i + 1) == Some(&'\\') {
        let mut j = i + 2;
        while j < chars.len() && chars[j] != '\'' {
            j += 1;
        }
        j + 1
    } else if chars.get(i + 2) == Some(&'\'') {
        i + 3
    } else {
        i + 1
    }
}

/// The tokens with the bodies of the `quote!` family removed: what they hold is the generated
/// crate's code (`crate::types::...` there is the SDK's module, not ours).
fn without_quoted(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let quoted = matches!(&tokens[i], Token::Ident(m) if matches!(m.as_str(), "quote" | "quote_spanned" | "parse_quote"))
            && tokens.get(i + 1) == Some(&Token::Punct('!'));
        if !quoted {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += 2;
        let mut depth = 0usize;
        while i < tokens.len() {
            match tokens[i] {
                Token::Punct('(' | '[' | '{') => depth += 1,
                Token::Punct(')' | ']' | '}') => depth -= 1,
                _ => {}
            }
            i += 1;
            if depth == 0 {
                break;
            }
        }
    }
    out
}

/// The paths a `use` tree starting at `tokens[i]` names, each as its segments (renames and
/// globs end a path where they stand), and the index after the tree.
fn use_tree(
    tokens: &[Token],
    mut i: usize,
    prefix: &[String],
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix.to_vec();
    loop {
        match tokens.get(i) {
            Some(Token::Ident(word)) if word == "as" => {
                i += 2;
                out.push(path);
                return i;
            }
            Some(Token::Ident(word)) => {
                path.push(word.clone());
                i += 1;
            }
            Some(Token::PathSep) => i += 1,
            Some(Token::Punct('{')) => {
                i += 1;
                while tokens.get(i) != Some(&Token::Punct('}')) {
                    i = use_tree(tokens, i, &path, out);
                    if tokens.get(i) == Some(&Token::Punct(',')) {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some(Token::Punct('*')) => {
                out.push(path);
                return i + 1;
            }
            _ => {
                out.push(path);
                return i;
            }
        }
    }
}

/// Every module path a file's code names, relative to where it is named: (the inline module
/// it is written in, below the file's own module; the path's segments).
fn named_paths(tokens: &[Token]) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    // Inline modules (`mod tests { ... }`) open at a brace depth, which `super::` starts from.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let here: Vec<String> = inline.iter().map(|(name, _)| name.clone()).collect();
        match &tokens[i] {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if inline.last().is_some_and(|&(_, open)| open == depth) {
                    inline.pop();
                }
            }
            Token::Ident(word) if word == "mod" => {
                if let (Some(Token::Ident(name)), Some(Token::Punct('{'))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    inline.push((name.clone(), depth));
                }
            }
            Token::Ident(word) if word == "use" => {
                let mut paths = Vec::new();
                i = use_tree(tokens, i + 1, &[], &mut paths);
                out.extend(paths.into_iter().map(|p| (here.clone(), p)));
                continue;
            }
            Token::Ident(first) if tokens.get(i + 1) == Some(&Token::PathSep) => {
                let previous = i.checked_sub(1).map(|p| &tokens[p]);
                // The start of a path, not a segment inside one already read.
                if previous != Some(&Token::PathSep) {
                    let mut path = vec![first.clone()];
                    let mut j = i + 1;
                    while let (Some(Token::PathSep), Some(Token::Ident(next))) =
                        (tokens.get(j), tokens.get(j + 1))
                    {
                        path.push(next.clone());
                        j += 2;
                    }
                    out.push((here, path));
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The file a path names, if it is one of ours: the longest module prefix of it that is a
/// file. `at` is the module the path is written in (inline modules included).
fn resolve(
    at: &[String],
    path: &[String],
    files: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<PathBuf> {
    let mut segments = path.iter();
    let mut module: Vec<String> = match segments.next()?.as_str() {
        "crate" => Vec::new(),
        "self" => at.to_vec(),
        "super" => {
            let mut up = at.to_vec();
            up.pop();
            while segments.clone().next().is_some_and(|s| s == "super") {
                segments.next();
                up.pop();
            }
            up
        }
        // A child module named without `self::`, or another crate (std, serde, ...).
        first => {
            let mut child = at.to_vec();
            child.push(first.to_owned());
            if !files.keys().any(|m| m.starts_with(&child)) {
                return None;
            }
            child
        }
    };
    let mut best = longest_file(&module, files);
    for segment in segments {
        module.push(segment.clone());
        if let Some(file) = files.get(&module) {
            best = Some(file.clone());
        } else if !files.keys().any(|m| m.starts_with(&module)) {
            break;
        }
    }
    best
}

/// The file holding `module`: itself if it is a file, else the nearest enclosing file.
fn longest_file(module: &[String], files: &BTreeMap<Vec<String>, PathBuf>) -> Option<PathBuf> {
    (0..=module.len())
        .rev()
        .find_map(|n| files.get(&module[..n]).cloned())
}

/// Which files each file imports from (itself excluded).
///
/// A folder's `mod.rs` and the files below it are one unit to the rest of the crate: the
/// parts use the names their folder declares for all of them (`super::Lowering`), and the
/// folder wires its parts; so edges between a module and its own ancestors are not counted
/// here. A circle through them is still one between folders, which [`layer_of`] finds.
fn import_graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let src = src();
    let all = rust_files(&src);
    let files: BTreeMap<Vec<String>, PathBuf> =
        all.iter().map(|f| (module_of(f), f.clone())).collect();
    let mut graph = BTreeMap::new();
    for file in &all {
        let text = fs::read_to_string(src.join(file)).unwrap();
        let module = module_of(file);
        let mut edges = BTreeSet::new();
        for (inline, path) in named_paths(&without_quoted(tokens(&text))) {
            let at: Vec<String> = module.iter().chain(&inline).cloned().collect();
            if let Some(target) = resolve(&at, &path, &files) {
                let to = module_of(&target);
                let related = to.starts_with(&module) || module.starts_with(&to);
                if !related {
                    edges.insert(target);
                }
            }
        }
        graph.insert(file.clone(), edges);
    }
    graph
}

/// The files importing each other in a circle, one list per strongly connected component of
/// more than one file (Tarjan's algorithm).
fn circles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'g PathBuf, usize>,
        low: BTreeMap<&'g PathBuf, usize>,
        stack: Vec<&'g PathBuf>,
        found: Vec<Vec<PathBuf>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, node: &'g PathBuf) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[next].min(self.low[node]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next) {
                    let low = self.index[next].min(self.low[node]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(top) = self.stack.pop() {
                    component.push(top.clone());
                    if top == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node) {
            walk.visit(node);
        }
    }
    walk.found
}

/// The layer a file belongs to: the top-level module (`model`, `normalise`, `structure`, ...)
/// it is part of; the crate root is in none, since it wires every stage.
fn layer_of(file: &Path) -> Option<PathBuf> {
    module_of(file).first().map(PathBuf::from)
}

/// The import graph between layers: a folder's files taken as one.
fn layer_graph(
    files: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for (from, targets) in files {
        let Some(layer) = layer_of(from) else {
            continue;
        };
        let edges = graph.entry(layer.clone()).or_default();
        edges.extend(
            targets
                .iter()
                .filter_map(|to| layer_of(to))
                .filter(|to| *to != layer),
        );
    }
    graph
}

/// Panics listing every circle in `graph`, each as its edges.
fn assert_no_circles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>, what: &str) {
    let found = circles(graph);
    let shown: Vec<String> = found
        .iter()
        .map(|component| {
            let edges: Vec<String> = component
                .iter()
                .flat_map(|from| {
                    graph[from]
                        .iter()
                        .filter(|to| component.contains(to))
                        .map(move |to| format!("{} -> {}", from.display(), to.display()))
                })
                .collect();
            edges.join(", ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "import circles between {what} of codegen/src (move the shared name down a layer):\n{}",
        shown.join("\n")
    );
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    assert_no_circles(&import_graph(), "files");
}

#[test]
fn no_layer_imports_one_that_imports_it_back() {
    assert_no_circles(&layer_graph(&import_graph()), "layers (top-level modules)");
}

/// A function's name, the line its `fn` is on, and its length in lines.
#[derive(Debug, PartialEq, Eq)]
struct Function {
    name: String,
    line: usize,
    lines: usize,
}

/// Every function with a body in rustfmt-formatted `text`: from the line of its `fn` to the
/// line of its closing brace, which rustfmt puts at the `fn` line's indentation. Functions in
/// `quote!` bodies count too; they are part of the function that holds them anyway.
fn functions(text: &str) -> Vec<Function> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut out = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else {
            continue;
        };
        // The signature ends at its body's brace, or at `;` for a declaration without one.
        let Some(end_of_signature) = (start..lines.len()).find(|&i| {
            let l = lines[i].trim_end();
            l.ends_with('{') || l.ends_with(';') || l.ends_with('}')
        }) else {
            continue;
        };
        let signature_end = lines[end_of_signature].trim_end();
        let end = if signature_end.ends_with(';') {
            continue;
        } else if signature_end.ends_with('{') {
            let closing = (end_of_signature + 1..lines.len())
                .find(|&i| !lines[i].trim().is_empty() && indent(lines[i]) <= indent(line));
            match closing {
                Some(i)
                    if indent(lines[i]) == indent(line)
                        && lines[i].trim_start().starts_with('}') =>
                {
                    i
                }
                // Not laid out by rustfmt (a `quote!` body): the function holding it is measured.
                _ => continue,
            }
        } else {
            end_of_signature
        };
        out.push(Function {
            name: name.to_owned(),
            line: start + 1,
            lines: end - start + 1,
        });
    }
    out
}

/// The name of the function a line starts, if it does: `pub(crate) async fn name...`.
fn fn_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    if let Some(after) = rest.strip_prefix("pub") {
        rest = match after.strip_prefix('(') {
            Some(scoped) => scoped.split_once(") ")?.1,
            None => after.strip_prefix(' ')?,
        };
    }
    for qualifier in ["const ", "async ", "unsafe ", "extern \"C\" "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    let name = rest.strip_prefix("fn ")?;
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    (end > 0 && !name.starts_with(|c: char| c.is_ascii_digit())).then(|| &name[..end])
}

#[test]
fn no_function_is_longer_than_the_limit() {
    let src = src();
    let mut too_long = Vec::new();
    for file in rust_files(&src) {
        if LENGTH_NOT_YET.iter().any(|folder| file.starts_with(folder)) {
            continue;
        }
        let text = fs::read_to_string(src.join(&file)).unwrap();
        for f in functions(&text) {
            if f.lines > MAX_FUNCTION_LINES {
                too_long.push(format!(
                    "{}:{} {}: {} lines",
                    file.display(),
                    f.line,
                    f.name,
                    f.lines
                ));
            }
        }
    }
    assert!(
        too_long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines in codegen/src (split them by what they do):\n{}",
        too_long.join("\n")
    );
}

#[test]
fn function_lengths_are_measured_from_fn_to_its_closing_brace() {
    let text = "\
impl A {
    pub(crate) fn two(&self)
        -> u8
    {
        1
    }

    fn declared(&self) -> u8;
}

pub fn one() {}
fn generic<T>()
where
    T: Copy,
{
    let _ = quote! {
        fn inside() {
          }
    };
}
";
    let found = functions(text);
    let lines: Vec<(&str, usize)> = found.iter().map(|f| (f.name.as_str(), f.lines)).collect();
    assert_eq!(lines, [("two", 5), ("one", 1), ("generic", 9)]);
    assert_eq!(found[2].line, 12);
}

#[test]
fn the_circle_finder_finds_a_circle_and_nothing_else() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        for (from, to) in edges {
            graph.entry(PathBuf::from(to)).or_default();
            graph
                .entry(PathBuf::from(from))
                .or_default()
                .insert(PathBuf::from(to));
        }
        graph
    };
    let circle = graph(&[
        ("normalise/oas31.rs", "normalise/walk.rs"),
        ("normalise/walk.rs", "structure.rs"),
        ("structure.rs", "normalise/oas31.rs"),
        ("model/mod.rs", "structure.rs"),
    ]);
    let expected: Vec<PathBuf> = ["normalise/oas31.rs", "normalise/walk.rs", "structure.rs"]
        .map(PathBuf::from)
        .to_vec();
    assert_eq!(circles(&circle), [expected]);
    let layers = graph(&[
        ("model/mod.rs", "structure.rs"),
        ("normalise/walk.rs", "structure.rs"),
    ]);
    assert!(circles(&layers).is_empty());
}

#[test]
fn paths_are_read_from_code_only_and_resolved_where_they_are_written() {
    let text = r##"
        //! Not code: crate::model::Api.
        use super::walk::{for_each_schema, self as w};
        use crate::{diagnostics::Error, structure::Level};
        const S: &str = "crate::emit::x";
        const R: &str = r#"crate::emit::y"#;
        fn f<'a>(c: char) -> TokenStream {
            let _ = c == '"' || crate::model::names::pascal("a") == "";
            quote! { crate::types::Thing }
        }
        mod tests {
            use super::*;
        }
    "##;
    let files: BTreeMap<Vec<String>, PathBuf> = [
        "lib.rs",
        "diagnostics.rs",
        "structure.rs",
        "emit/mod.rs",
        "model/mod.rs",
        "model/names.rs",
        "normalise/mod.rs",
        "normalise/oas31.rs",
        "normalise/walk.rs",
    ]
    .iter()
    .map(|f| (module_of(Path::new(f)), PathBuf::from(f)))
    .collect();
    let at = module_of(Path::new("normalise/oas31.rs"));
    let mut named: Vec<PathBuf> = named_paths(&without_quoted(tokens(text)))
        .into_iter()
        .filter_map(|(inline, path)| {
            let here: Vec<String> = at.iter().chain(&inline).cloned().collect();
            resolve(&here, &path, &files)
        })
        .collect();
    named.sort();
    named.dedup();
    let expected: Vec<PathBuf> = [
        "diagnostics.rs",
        "model/names.rs",
        "normalise/oas31.rs",
        "normalise/walk.rs",
        "structure.rs",
    ]
    .map(PathBuf::from)
    .to_vec();
    assert_eq!(named, expected);
}
