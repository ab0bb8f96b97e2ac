//! The shared view of a loaded nginx configuration: every directive in document order with
//! its parent and context, and the inheritance rules nginx applies (`add_header` is replaced
//! as a whole by a block that sets any header; most other directives inherit the nearest value).

use caulk_syntax::nginx::Directive;

/// The kind of block a directive sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Main,
    Events,
    Http,
    Server,
    Location,
    /// `if` inside a server or location.
    If,
    LimitExcept,
    Upstream,
    /// `map`, `geo`, `types`, `split_clients`…: entries, not directives.
    Data,
    /// `stream`, `mail` and anything unknown.
    Other,
}

impl Ctx {
    /// The context of the children of block directive `name` written in context `self`.
    fn child(self, name: &str) -> Self {
        match name {
            "http" => Self::Http,
            "events" => Self::Events,
            "server" if self == Self::Http => Self::Server,
            "location" => Self::Location,
            "if" => Self::If,
            "limit_except" => Self::LimitExcept,
            "upstream" => Self::Upstream,
            "map" | "geo" | "types" | "split_clients" | "charset_map" | "match" => Self::Data,
            _ => Self::Other,
        }
    }
}

/// One directive with its place in the tree.
#[derive(Debug)]
pub struct Node<'a> {
    pub d: &'a Directive,
    /// Index of the enclosing block directive; `None` at the top level.
    pub parent: Option<usize>,
    /// The context the directive is written in.
    pub ctx: Ctx,
    /// The context of the directive's own block (meaningful for block directives).
    pub inner: Ctx,
    /// One past the last descendant: descendants are `index + 1..end`.
    pub end: usize,
}

/// Every directive of a configuration, in document order.
#[derive(Debug)]
pub struct Model<'a> {
    pub tree: &'a [Directive],
    pub nodes: Vec<Node<'a>>,
    /// The context of the top level: `Main` for a complete nginx.conf, `Http` for a file of
    /// `server` blocks, `Server` for a file of `location` blocks.
    pub root: Ctx,
}

/// The headers a block sends, after nginx's `add_header` inheritance.
#[derive(Debug, Default)]
pub struct Headers<'a> {
    /// The `add_header` directives in force (all from one level).
    pub directives: Vec<&'a Directive>,
    /// The block they come from (`None`: top level), when any.
    pub level: Option<Option<usize>>,
    /// Some level on the way has an include caulk could not read: headers may be set there.
    pub unknown: bool,
}

impl<'a> Headers<'a> {
    /// The directive setting header `name` (case-insensitive), if any; `add_header X ""`
    /// sends nothing and does not count.
    pub fn get(&self, name: &str) -> Option<&'a Directive> {
        self.directives.iter().copied().find(|d| d.arg(0).eq_ignore_ascii_case(name) && !d.arg(1).is_empty())
    }
}

impl<'a> Model<'a> {
    /// Indexes an expanded directive tree; the top level's context is guessed from what it holds.
    pub fn new(tree: &'a [Directive]) -> Self {
        let root = if tree.iter().any(|d| matches!(d.name.as_str(), "http" | "events" | "stream" | "worker_processes"))
        {
            Ctx::Main
        } else if tree.iter().any(|d| d.is("location")) && !tree.iter().any(|d| d.is("server")) {
            Ctx::Server
        } else {
            Ctx::Http
        };
        let mut nodes = Vec::new();
        push(&mut nodes, tree, None, root);
        Self { tree, nodes, root }
    }

    /// The node at index `i`.
    pub fn node(&self, i: usize) -> Option<&Node<'a>> {
        self.nodes.get(i)
    }

    /// The directives directly inside `level` (`None`: the top level).
    pub fn children(&self, level: Option<usize>) -> &'a [Directive] {
        match level {
            None => self.tree,
            Some(i) => self.nodes.get(i).map_or(&[], |n| n.d.children()),
        }
    }

    /// Node indices of the directives directly inside `level`.
    pub fn child_nodes(&self, level: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        let range = match level {
            None => 0..self.nodes.len(),
            Some(i) => i + 1..self.nodes.get(i).map_or(i + 1, |n| n.end),
        };
        range.filter(move |&j| self.nodes.get(j).is_some_and(|n| n.parent == level))
    }

    /// Node indices of everything inside block `i`.
    pub fn descendants(&self, i: usize) -> std::ops::Range<usize> {
        i + 1..self.nodes.get(i).map_or(i + 1, |n| n.end)
    }

    /// The levels from `level` up to the top: `level`, its parent, …, `None`.
    pub fn levels(&self, level: Option<usize>) -> impl Iterator<Item = Option<usize>> + '_ {
        let mut cur = Some(level);
        std::iter::from_fn(move || {
            let this = cur?;
            cur = this.map(|i| self.nodes.get(i).and_then(|n| n.parent));
            Some(this)
        })
    }

    /// The first direct child of `level` named `name`.
    pub fn child(&self, level: Option<usize>, name: &str) -> Option<&'a Directive> {
        self.children(level).iter().find(|d| d.is(name))
    }

    /// Whether `level` or a block around it has an `include` that could not be followed.
    pub fn has_unknown_include(&self, level: Option<usize>) -> bool {
        self.levels(level).any(|l| self.children(l).iter().any(|d| d.is("include")))
    }

    /// Whether block `i` or anything inside it has an `include` that could not be followed.
    pub fn has_unknown_include_inside(&self, i: usize) -> bool {
        self.descendants(i).any(|j| self.nodes.get(j).is_some_and(|n| n.d.is("include")))
    }

    /// The value of a normally inherited directive at `level`: the nearest definition.
    pub fn inherited(&self, level: Option<usize>, name: &str) -> Option<&'a Directive> {
        self.levels(level).find_map(|l| self.child(l, name))
    }

    /// The `add_header`s that apply to responses of block `level` (nginx: the nearest level
    /// that has any `add_header` replaces all inherited ones).
    pub fn headers(&self, level: Option<usize>) -> Headers<'a> {
        let mut out = Headers::default();
        for l in self.levels(level) {
            if self.children(l).iter().any(|d| d.is("include")) {
                out.unknown = true;
            }
            let here: Vec<&Directive> = self.children(l).iter().filter(|d| d.is("add_header")).collect();
            if !here.is_empty() {
                out.directives = here;
                out.level = Some(l);
                return out;
            }
        }
        out
    }

    /// Headers set with the headers-more module (`more_set_headers "Name: value"`) at any level.
    pub fn more_headers(&self, level: Option<usize>) -> Vec<(String, &'a Directive)> {
        let mut out = Vec::new();
        for l in self.levels(level) {
            for d in self.children(l).iter().filter(|d| d.is("more_set_headers")) {
                for a in &d.args {
                    if let Some((name, _)) = a.value.split_once(':') {
                        out.push((name.trim().to_ascii_lowercase(), d));
                    }
                }
            }
        }
        out
    }

    /// `server` blocks of the http context.
    pub fn servers(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes.iter().enumerate().filter(|(_, n)| n.inner == Ctx::Server && n.d.block.is_some()).map(|(i, _)| i)
    }

    /// Whether server `i` terminates TLS (`listen … ssl`, `listen 443`, `ssl on`, a certificate).
    pub fn is_tls(&self, i: usize) -> bool {
        self.children(Some(i)).iter().any(|d| {
            (d.is("listen")
                && d.args.iter().any(|a| a.value == "ssl" || a.value == "quic" || port(&a.value) == Some(443)))
                || (d.is("ssl") && d.arg(0) == "on")
                || d.is("ssl_certificate")
        })
    }

    /// Whether server `i` answers with content, rather than only redirecting or refusing.
    pub fn serves_content(&self, i: usize) -> bool {
        !self.children(Some(i)).iter().any(|d| d.is("return"))
    }

    /// Whether server `i` listens only on loopback or a unix socket.
    pub fn is_local_only(&self, i: usize) -> bool {
        let listens: Vec<&Directive> = self.children(Some(i)).iter().filter(|d| d.is("listen")).collect();
        !listens.is_empty()
            && listens.iter().all(|d| {
                let a = d.arg(0);
                a.starts_with("127.") || a.starts_with("localhost") || a.starts_with("[::1]") || a.starts_with("unix:")
            })
    }

    /// Whether a `location` node `i` (or a block around it) limits who can reach it: `allow`
    /// with `deny all`, `internal`, `auth_basic`, `auth_request`, a `satisfy`, a client certificate.
    pub fn is_access_controlled(&self, i: usize) -> bool {
        let mut deny_all = false;
        for l in self.levels(Some(i)) {
            for d in self.children(l) {
                match d.name.as_str() {
                    "internal" | "auth_request" | "auth_jwt" | "satisfy" => return true,
                    "auth_basic" if d.arg(0) != "off" => return true,
                    "ssl_verify_client" if d.arg(0) == "on" => return true,
                    "deny" if d.arg(0) == "all" => deny_all = true,
                    "return" if matches!(d.arg(0), "403" | "404" | "444") => return true,
                    _ => {}
                }
            }
            if let Some(n) = l.and_then(|j| self.nodes.get(j))
                && n.inner == Ctx::Server
            {
                // a server listening only on loopback is private
                if self.is_local_only(l.unwrap_or_default()) {
                    return true;
                }
            }
        }
        deny_all
    }
}

/// The port of a `listen` address (`443`, `[::]:443`, `0.0.0.0:443`).
pub fn port(listen: &str) -> Option<u16> {
    let p = listen.rsplit(':').next().unwrap_or(listen);
    p.parse().ok()
}

fn push<'a>(nodes: &mut Vec<Node<'a>>, ds: &'a [Directive], parent: Option<usize>, ctx: Ctx) {
    for d in ds {
        let i = nodes.len();
        let inner = if d.block.is_some() { ctx.child(&d.name) } else { ctx };
        nodes.push(Node { d, parent, ctx, inner, end: i + 1 });
        if let Some(b) = &d.block {
            push(nodes, b, Some(i), inner);
            let end = nodes.len();
            if let Some(n) = nodes.get_mut(i) {
                n.end = end;
            }
        }
    }
}

/// The words of an `if` condition without its parentheses: `if ($a ~ b)` gives `$a`, `~`, `b`
/// (ranges shrunk to the words' text, quotes included).
pub fn condition(d: &caulk_syntax::nginx::Directive) -> Vec<caulk_syntax::nginx::Arg> {
    let mut out: Vec<caulk_syntax::nginx::Arg> = d.args.clone();
    if let Some(first) = out.first_mut()
        && first.quote.is_none()
        && let Some(rest) = first.value.strip_prefix('(')
    {
        first.value = rest.to_owned();
        first.range.start = (first.range.start + 1).min(first.range.end);
    }
    if let Some(last) = out.last_mut()
        && last.quote.is_none()
        && let Some(rest) = last.value.strip_suffix(')')
    {
        last.value = rest.to_owned();
        last.range.end = last.range.end.saturating_sub(1).max(last.range.start);
    }
    out.retain(|a| !(a.quote.is_none() && a.value.is_empty()));
    out
}
