//! Spec prose to rustdoc that builds without warnings and never runs as a doctest.
//!
//! Spec descriptions are Markdown written for web pages: bare URLs, HTML, stray brackets and
//! code blocks. Rustdoc warns on the first three and compiles the last, so: code blocks are
//! marked `text`, lines are unindented (an indented block is code too), URLs become autolinks,
//! HTML is escaped, and brackets that are not a link are escaped.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Docs, Fact};

/// `#[doc = "..."]` attributes, one per line so prettyplease prints `///` comments.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` attributes (`//!` comments), for a module's own docs.
pub(crate) fn inner_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect()
}

/// The opening paragraphs of an operation's or webhook's docs: its summary (else its
/// description, else `fallback`), then its description when it says more than the summary.
pub(crate) fn summary_then_description(
    summary: Option<&str>,
    description: Option<&str>,
    fallback: impl FnOnce() -> String,
) -> Vec<String> {
    let first = summary
        .or(description)
        .map(markdown)
        .unwrap_or_else(fallback);
    let mut parts = vec![first];
    if let (Some(s), Some(d)) = (summary, description) {
        if s.trim() != d.trim() {
            parts.push(markdown(d));
        }
    }
    parts
}

/// The docs of a model item: title, description, then facts as a list; `fallback` when
/// the spec says nothing at all.
pub(crate) fn render(docs: &Docs, fallback: &str) -> String {
    render_or_none(docs).unwrap_or_else(|| fallback.to_owned())
}

/// The docs of a model item, or `None` when the spec says nothing about it.
pub(crate) fn render_or_none(docs: &Docs) -> Option<String> {
    let mut parts = Vec::new();
    match (&docs.title, &docs.description) {
        (Some(t), Some(d)) if !d.trim().is_empty() => {
            parts.push(format!("{}\n\n{}", markdown(t), markdown(d)))
        }
        (_, Some(d)) if !d.trim().is_empty() => parts.push(markdown(d)),
        (Some(t), _) if !t.trim().is_empty() => parts.push(markdown(t)),
        _ => {}
    }
    if !docs.facts.is_empty() {
        let facts: Vec<String> = docs
            .facts
            .iter()
            .map(|f| format!("- {}", markdown(&fact(f))))
            .collect();
        parts.push(facts.join("\n"));
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// One fact about a value, as a line of the docs.
pub(crate) fn fact(fact: &Fact) -> String {
    match fact {
        Fact::Pattern(p) => format!("Pattern: {}", code(p)),
        Fact::Length { min, max } => match (min, max) {
            (Some(a), Some(b)) if a == b => format!("Length: exactly {a} characters"),
            (Some(a), Some(b)) => format!("Length: {a} to {b} characters"),
            (Some(a), None) => format!("Length: at least {a} characters"),
            (None, Some(b)) => format!("Length: at most {b} characters"),
            (None, None) => "Length: any".to_owned(),
        },
        Fact::Minimum { value, exclusive } => {
            format!(
                "Minimum: {value}{}",
                if *exclusive { " (exclusive)" } else { "" }
            )
        }
        Fact::Maximum { value, exclusive } => {
            format!(
                "Maximum: {value}{}",
                if *exclusive { " (exclusive)" } else { "" }
            )
        }
        Fact::MinItems(n) => format!("Minimum items: {n}"),
        Fact::MaxItems(n) => format!("Maximum items: {n}"),
        Fact::AllowedValues(values) => {
            let values: Vec<String> = values.iter().map(|v| code(&v.to_string())).collect();
            format!("Allowed values: {}", values.join(", "))
        }
        Fact::Format(f) => format!("Format: {}", code(f)),
        Fact::Default(v) => format!("Default: {}", code(&v.to_string())),
        Fact::Example(v) => format!("Example: {}", code(&v.to_string())),
        Fact::Deprecated => "Deprecated.".to_owned(),
        Fact::ReadOnly => "Read-only: set by the server.".to_owned(),
    }
}

/// Sanitises Markdown from a spec for rustdoc.
pub(crate) fn markdown(text: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for raw in text.trim().lines() {
        let line = raw.trim_start();
        let marker = if line.starts_with("```") {
            Some("```")
        } else if line.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (&fence, marker) {
            (None, Some(m)) => {
                fence = Some(m.to_owned());
                out.push(format!("{m}text"));
            }
            (Some(open), Some(m)) if open == m && line.trim_end() == m => {
                fence = None;
                out.push(m.to_owned());
            }
            (Some(_), _) => out.push(raw.to_owned()),
            (None, None) => out.push(inline(line.trim_end())),
        }
    }
    if let Some(open) = fence {
        out.push(open); // an unclosed fence would swallow the rest of the item's docs
    }
    out.join("\n")
}

/// `text` as an inline code span that stays one whatever it contains: the fence is one
/// backtick longer than the longest run of backticks inside, and content that starts or ends
/// with a backtick is padded with a space (CommonMark strips one from each side). Line breaks
/// become spaces so the span stays on one doc line.
pub(crate) fn code(text: &str) -> String {
    if text.is_empty() {
        return "`\"\"`".to_owned(); // an empty span would print as a bare pair of backticks
    }
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// One line of prose (a title, a version): whitespace collapsed, sanitised like a line of a
/// description, and never the start of a code block.
pub(crate) fn one_line(text: &str) -> String {
    inline(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            // A code span is copied as is, up to the closing run of as many backticks.
            let run = chars[i..].iter().take_while(|&&d| d == '`').count();
            if let Some(end) = closing_run(&chars, i + run, run) {
                out.extend(&chars[i..end + run]);
                i = end + run;
                continue;
            }
            out.push_str(&"\\`".repeat(run));
            i += run;
            continue;
        }
        if c == '[' {
            if let Some((text, url, next)) = link_at(&chars, i) {
                let text = inline(&text);
                if url.contains("://") || url.starts_with("mailto:") {
                    out.push_str(&format!("[{text}]({url})"));
                } else {
                    // A relative link would be read as an intra-doc link to a Rust item.
                    out.push_str(&text);
                }
                i = next;
                continue;
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if starts_with(&chars, i, "https://") || starts_with(&chars, i, "http://") {
            let mut end = i;
            while end < chars.len()
                && !chars[end].is_whitespace()
                && !"<>\"'`)]".contains(chars[end])
            {
                end += 1;
            }
            while end > i && ".,;:!?".contains(chars[end - 1]) {
                end -= 1;
            }
            let url: String = chars[i..end].iter().collect();
            out.push_str(&format!("<{url}>"));
            i = end;
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Where the next run of exactly `run` backticks at or after `from` starts.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let len = chars[j..].iter().take_while(|&&d| d == '`').count();
            if len == run {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

fn starts_with(chars: &[char], at: usize, prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(k, p)| chars.get(at + k) == Some(&p))
}

/// `[text](url)` starting at `at`: (text, url, index after it).
fn link_at(chars: &[char], at: usize) -> Option<(String, String, usize)> {
    let close = at + 1 + chars[at + 1..].iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = close + 2 + chars[close + 2..].iter().position(|&c| c == ')')?;
    let text: String = chars[at + 1..close].iter().collect();
    let url: String = chars[close + 2..end].iter().collect();
    if text.contains('[') || url.contains(char::is_whitespace) {
        return None;
    }
    Some((text, url, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_urls_html_and_brackets() {
        assert_eq!(
            markdown("See [Pool Routing](https://x.y/a#b)."),
            "See [Pool Routing](https://x.y/a#b)."
        );
        assert_eq!(markdown("Visit https://x.y/z."), "Visit <https://x.y/z>.");
        assert_eq!(
            markdown("a <b>bold</b> */ c"),
            "a &lt;b&gt;bold&lt;/b&gt; */ c"
        );
        assert_eq!(
            markdown("[broken] and [rel](other)"),
            "\\[broken\\] and rel"
        );
        assert_eq!(markdown("`a<b>[c]` d"), "`a<b>[c]` d");
    }

    #[test]
    fn code_spans_survive_any_content() {
        assert_eq!(code("in-progress"), "`in-progress`");
        assert_eq!(code("`"), "`` ` ``");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a\nb"), "`a b`");
        for text in ["`", "a``b", "x*/<b>[c]", "``"] {
            let line = format!("Example: {}", code(text));
            assert_eq!(markdown(&line), line, "markdown keeps {text:?} a code span");
        }
        assert_eq!(markdown("a ` b"), "a \\` b");
    }

    #[test]
    fn code_blocks_never_run() {
        assert_eq!(
            markdown("x\n```\nfn main() {}\n```"),
            "x\n```text\nfn main() {}\n```"
        );
        assert_eq!(markdown("```rust\nlet a = 1;"), "```text\nlet a = 1;\n```");
        assert_eq!(
            markdown("para\n\n    indented code"),
            "para\n\nindented code"
        );
    }
}
