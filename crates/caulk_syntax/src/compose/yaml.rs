//! A YAML tree with byte ranges, built from the event parser serde-saphyr re-exports: aliases
//! are expanded under a node budget (alias bombs are rejected), `<<` merge keys are applied, and
//! every node remembers the file it came from so merged projects report into the right file.

use std::collections::HashMap;

use caulk_core::TextRange;
use caulk_core::text::to_u32;
use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, Span};

use crate::SyntaxError;

/// Index of a file in a [`super::Project`].
pub type FileId = u32;

/// Largest YAML file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Most nodes one document may hold once aliases are expanded.
pub const MAX_NODES: usize = 200_000;

/// One YAML node with the range it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Byte range in the file `file`.
    pub range: TextRange,
    pub file: FileId,
    /// Tagged `!reset` or `!override` (compose merge directives).
    pub tag: Option<MergeTag>,
}

/// Compose's merge directives for override files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeTag {
    Reset,
    Override,
}

/// The shape of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A scalar after interpolation.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub value: String,
    /// Written quoted or as a block scalar (never null/bool/number).
    pub quoted: bool,
    /// Contains a `${VAR}` that is not set and has no default; the text is kept as written.
    pub unresolved: bool,
}

/// A key/value pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Node {
    /// A plain scalar node.
    pub fn scalar(value: impl Into<String>, range: TextRange, file: FileId) -> Self {
        Self {
            kind: NodeKind::Scalar(Scalar { value: value.into(), quoted: false, unresolved: false }),
            range,
            file,
            tag: None,
        }
    }

    /// The mapping entry with key `key`.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().rev().find(|e| e.key.as_str() == Some(key)),
            _ => None,
        }
    }

    /// The value of mapping key `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, k| node.get(k))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(&s.value),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// YAML 1.1 and 1.2 truthy plain scalars (`true`, `yes`, `on`), as compose accepts them.
    pub fn is_true(&self) -> bool {
        match &self.kind {
            NodeKind::Scalar(s) if !s.quoted => {
                matches!(s.value.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "y")
            }
            NodeKind::Scalar(s) => s.value.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// A plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if !s.quoted && matches!(s.value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// Scalars of a sequence, or the single scalar itself.
    pub fn strings(&self) -> Vec<&Node> {
        match &self.kind {
            NodeKind::Scalar(_) if !self.is_null() => vec![self],
            NodeKind::Seq(items) => items.iter().filter(|n| n.as_str().is_some()).collect(),
            _ => Vec::new(),
        }
    }

    /// Number of nodes in this subtree.
    pub fn size(&self) -> usize {
        match &self.kind {
            NodeKind::Scalar(_) => 1,
            NodeKind::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            NodeKind::Map(entries) => 1 + entries.iter().map(|e| e.key.size() + e.value.size()).sum::<usize>(),
        }
    }

    /// Calls `f` on every scalar value (not mapping keys) of the subtree.
    pub fn for_each_value_mut(&mut self, f: &mut dyn FnMut(&mut Node)) {
        match &mut self.kind {
            NodeKind::Scalar(_) => f(self),
            NodeKind::Seq(items) => items.iter_mut().for_each(|n| n.for_each_value_mut(f)),
            NodeKind::Map(entries) => entries.iter_mut().for_each(|e| e.value.for_each_value_mut(f)),
        }
    }
}

enum Frame {
    Seq { start: u32, anchor: usize, tag: Option<MergeTag>, items: Vec<Node> },
    Map { start: u32, anchor: usize, tag: Option<MergeTag>, entries: Vec<Entry>, key: Option<Node> },
}

fn offset(span: &Span, end: bool) -> u32 {
    let m = if end { &span.end } else { &span.start };
    to_u32(m.byte_offset().unwrap_or_else(|| m.index()))
}

fn range_of(span: &Span) -> TextRange {
    let start = offset(span, false);
    TextRange::new(start, offset(span, true).max(start))
}

fn merge_tag(tag: Option<&serde_saphyr::granit_parser::Tag>) -> Option<MergeTag> {
    match tag.map(serde_saphyr::granit_parser::Tag::suffix) {
        Some("reset") => Some(MergeTag::Reset),
        Some("override") => Some(MergeTag::Override),
        _ => None,
    }
}

/// Parses the first document of `text`; `None` when it is empty. Errors stop the parse (YAML
/// has no useful recovery) and carry the position they were found at.
pub fn parse(text: &str, file: FileId) -> (Option<Node>, Vec<SyntaxError>) {
    if text.len() > MAX_FILE_BYTES {
        return (
            None,
            vec![SyntaxError::new(
                TextRange::empty(0),
                format!("file is {} bytes, more than the {MAX_FILE_BYTES} bytes caulk reads", text.len()),
            )],
        );
    }
    let mut options = Options::default();
    options.set_emit_comments(false);
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut budget = 0usize;
    let mut root: Option<Node> = None;
    let err = |range: TextRange, msg: String| (None, vec![SyntaxError::new(range, msg)]);
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(x) => x,
            Err(e) => {
                let m = e.marker();
                let at = to_u32(m.byte_offset().unwrap_or_else(|| m.index()));
                return err(TextRange::empty(at.min(to_u32(text.len()))), format!("invalid YAML: {}", e.kind()));
            }
        };
        let done: Option<(Node, usize)> = match event {
            Event::DocumentEnd if root.is_some() || !stack.is_empty() => break,
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(..)
            | Event::DocumentEnd
            | Event::Anchor(..)
            | Event::UnresolvedAlias(_) => None,
            Event::Alias(id) => {
                let Some(node) = anchors.get(&id) else {
                    return err(range_of(&span), "alias refers to an unknown anchor".to_owned());
                };
                budget = budget.saturating_add(node.size());
                if budget > MAX_NODES {
                    return err(
                        range_of(&span),
                        format!(
                            "aliases expand to more than {MAX_NODES} nodes (a YAML alias bomb?); the file is not checked"
                        ),
                    );
                }
                Some((node.clone(), 0))
            }
            Event::Scalar(value, style, anchor, tag) => {
                budget += 1;
                let quoted = !matches!(style, ScalarStyle::Plain);
                let node = Node {
                    kind: NodeKind::Scalar(Scalar { value: value.into_owned(), quoted, unresolved: false }),
                    range: range_of(&span),
                    file,
                    tag: merge_tag(tag.as_deref()),
                };
                Some((node, anchor))
            }
            Event::SequenceStart(_, anchor, tag) => {
                budget += 1;
                stack.push(Frame::Seq {
                    start: offset(&span, false),
                    anchor,
                    tag: merge_tag(tag.as_deref()),
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(_, anchor, tag) => {
                budget += 1;
                stack.push(Frame::Map {
                    start: offset(&span, false),
                    anchor,
                    tag: merge_tag(tag.as_deref()),
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq { start, anchor, tag, items }) => {
                    let end = items.last().map_or(offset(&span, true), |n| n.range.end).max(start);
                    Some((Node { kind: NodeKind::Seq(items), range: TextRange::new(start, end), file, tag }, anchor))
                }
                _ => return err(range_of(&span), "unbalanced sequence".to_owned()),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map { start, anchor, tag, entries, .. }) => {
                    let end = entries.last().map_or(offset(&span, true), |e| e.value.range.end).max(start);
                    let entries = apply_merge_keys(entries);
                    Some((Node { kind: NodeKind::Map(entries), range: TextRange::new(start, end), file, tag }, anchor))
                }
                _ => return err(range_of(&span), "unbalanced mapping".to_owned()),
            },
            // comments (not requested)
            #[allow(unreachable_patterns)]
            _ => None,
        };
        if budget > MAX_NODES {
            return err(range_of(&span), format!("document has more than {MAX_NODES} nodes; the file is not checked"));
        }
        let Some((node, anchor)) = done else { continue };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => {
                root = Some(node);
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry { key: k, value: node }),
            },
        }
    }
    (root, Vec::new())
}

/// Applies `<<: *base` / `<<: [*a, *b]`: merged keys never override explicit ones, and earlier
/// sources win over later ones.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    let is_merge = |e: &Entry| matches!(&e.key.kind, NodeKind::Scalar(s) if !s.quoted && s.value == "<<");
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let (merges, mut explicit): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(is_merge);
    for m in merges {
        let sources: Vec<Node> = match m.value.kind {
            NodeKind::Map(_) => vec![m.value],
            NodeKind::Seq(items) => items,
            NodeKind::Scalar(_) => Vec::new(),
        };
        for src in sources {
            if let NodeKind::Map(src_entries) = src.kind {
                for e in src_entries {
                    let present = explicit.iter().any(|x| x.key.as_str().is_some() && x.key.as_str() == e.key.as_str());
                    if !present {
                        explicit.push(e);
                    }
                }
            }
        }
    }
    explicit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node {
        let (node, errors) = parse(text, 0);
        assert!(errors.is_empty(), "{errors:?}");
        node.unwrap_or_else(|| Node::scalar("", TextRange::empty(0), 0))
    }

    #[test]
    fn ranges_point_at_values() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n";
        let root = ok(text);
        let img = root.path(&["services", "web", "image"]).map(|n| n.range.slice(text));
        assert_eq!(img, Some("nginx:1.27"));
        let e = root.path(&["services", "web"]).and_then(|n| n.entry("privileged"));
        assert_eq!(e.map(|e| e.key.range.slice(text)), Some("privileged"));
        assert!(root.path(&["services", "web", "privileged"]).is_some_and(Node::is_true));
    }

    #[test]
    fn merge_keys_do_not_override_explicit_keys() {
        let text = "x: &base\n  a: 1\n  b: 2\ny:\n  <<: *base\n  b: 3\n";
        let root = ok(text);
        assert_eq!(root.path(&["y", "a"]).and_then(Node::as_str), Some("1"));
        assert_eq!(root.path(&["y", "b"]).and_then(Node::as_str), Some("3"));
        assert!(root.path(&["y", "<<"]).is_none());
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            let line = format!("{c}: &{c} [{refs}]\n");
            text.push_str(&line);
            prev = c;
        }
        let (node, errors) = parse(&text, 0);
        assert!(node.is_none());
        assert!(errors[0].message.contains("alias bomb"), "{errors:?}");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let (_, errors) = parse("a: [1, 2\nb: }", 0);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.starts_with("invalid YAML"));
    }

    #[test]
    fn huge_files_are_rejected() {
        let text = "a: b\n".repeat(MAX_FILE_BYTES / 4);
        let (_, errors) = parse(&text, 0);
        assert!(errors[0].message.contains("more than"));
    }
}
