//! Variable expansion and quote removal as BuildKit's shell lexer does it for instruction
//! arguments (`$VAR`, `${VAR}`, `${VAR:-x}`, `${VAR-x}`, `${VAR:+x}`, `${VAR+x}`, `${VAR:?x}`).

/// The result of expanding a word: its value, and the variables it used that had no value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expanded {
    pub value: String,
    /// Names referenced without a value and without a default: the result is not what the
    /// build will see.
    pub unresolved: Vec<String>,
}

impl Expanded {
    pub fn is_resolved(&self) -> bool {
        self.unresolved.is_empty()
    }
}

/// Expands `word` with `lookup`, removing quotes and escapes. `escape` is the Dockerfile's escape
/// character.
pub fn expand_word(word: &str, escape: char, lookup: &dyn Fn(&str) -> Option<String>) -> Expanded {
    let mut lx = Lexer { chars: word.chars().collect(), pos: 0, escape, lookup, unresolved: Vec::new(), depth: 0 };
    let value = lx.word(&[]);
    Expanded { value, unresolved: lx.unresolved }
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    unresolved: Vec<String>,
    depth: u32,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    /// Reads until end of input or one of `stops` (unquoted), used for `${X:-default}` words.
    fn word(&mut self, stops: &[char]) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if stops.contains(&c) {
                break;
            }
            self.pos += 1;
            if c == self.escape {
                if let Some(n) = self.bump() {
                    out.push(n);
                }
            } else if c == '\'' {
                while let Some(n) = self.bump() {
                    if n == '\'' {
                        break;
                    }
                    out.push(n);
                }
            } else if c == '"' {
                self.double_quoted(&mut out);
            } else if c == '$' {
                self.dollar(&mut out);
            } else {
                out.push(c);
            }
        }
        out
    }

    fn double_quoted(&mut self, out: &mut String) {
        while let Some(c) = self.bump() {
            match c {
                '"' => return,
                '$' => self.dollar(out),
                c if c == self.escape => match self.peek() {
                    Some(n) if n == '"' || n == '$' || n == self.escape => {
                        self.pos += 1;
                        out.push(n);
                    }
                    _ => out.push(c),
                },
                c => out.push(c),
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        name
    }

    fn resolve(&mut self, name: &str, report: bool) -> Option<String> {
        let v = (self.lookup)(name);
        if v.is_none() && report && !self.unresolved.iter().any(|n| n == name) {
            self.unresolved.push(name.to_owned());
        }
        v
    }

    fn dollar(&mut self, out: &mut String) {
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.braced(out);
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.name();
                if let Some(v) = self.resolve(&name, true) {
                    out.push_str(&v);
                }
            }
            Some(c) if c.is_ascii_digit() => {
                // positional parameters are empty in a Dockerfile
                self.pos += 1;
            }
            _ => out.push('$'),
        }
    }

    fn braced(&mut self, out: &mut String) {
        self.depth += 1;
        let name = self.name();
        if name.is_empty() || self.depth > 16 {
            // not a valid expansion: keep the text as written up to the closing brace
            out.push_str("${");
            out.push_str(&name);
            while let Some(c) = self.bump() {
                out.push(c);
                if c == '}' {
                    break;
                }
            }
            self.depth -= 1;
            return;
        }
        let op: String = match self.peek() {
            Some(':') => {
                self.pos += 1;
                match self.bump() {
                    Some(c @ ('-' | '+' | '?')) => format!(":{c}"),
                    _ => ":".to_owned(),
                }
            }
            Some(c @ ('-' | '+' | '?')) => {
                self.pos += 1;
                c.to_string()
            }
            Some(c @ ('#' | '%')) => {
                self.pos += 1;
                if self.peek() == Some(c) {
                    self.pos += 1;
                    format!("{c}{c}")
                } else {
                    c.to_string()
                }
            }
            Some('/') => {
                self.pos += 1;
                "/".to_owned()
            }
            _ => String::new(),
        };
        let arg = if op.is_empty() { String::new() } else { self.word(&['}']) };
        if self.peek() == Some('}') {
            self.pos += 1;
        }
        let has_default = matches!(op.as_str(), ":-" | "-" | ":+" | "+" | ":?" | "?");
        let value = self.resolve(&name, !has_default);
        let set = value.is_some();
        let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
        match op.as_str() {
            ":-" => out.push_str(&if non_empty { value.unwrap_or_default() } else { arg }),
            "-" => out.push_str(&if set { value.unwrap_or_default() } else { arg }),
            ":+" => {
                if non_empty {
                    out.push_str(&arg);
                }
            }
            "+" => {
                if set {
                    out.push_str(&arg);
                }
            }
            ":?" | "?" => {
                let ok = if op == ":?" { non_empty } else { set };
                if ok {
                    out.push_str(&value.unwrap_or_default());
                } else if !self.unresolved.contains(&name) {
                    self.unresolved.push(name);
                }
            }
            "#" | "##" => {
                let v = value.unwrap_or_default();
                out.push_str(v.strip_prefix(arg.as_str()).unwrap_or(&v));
            }
            "%" | "%%" => {
                let v = value.unwrap_or_default();
                out.push_str(v.strip_suffix(arg.as_str()).unwrap_or(&v));
            }
            "/" => {
                let v = value.unwrap_or_default();
                match arg.split_once('/') {
                    Some((from, to)) if !from.is_empty() => out.push_str(&v.replacen(from, to, 1)),
                    _ => out.push_str(&v),
                }
            }
            _ => out.push_str(&value.unwrap_or_default()),
        }
        self.depth -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "TAG" => Some("3.9-slim".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    fn ex(w: &str) -> Expanded {
        expand_word(w, '\\', &env)
    }

    #[test]
    fn plain_and_braced() {
        assert_eq!(ex("python:$TAG").value, "python:3.9-slim");
        assert_eq!(ex("python:${TAG}").value, "python:3.9-slim");
        assert!(ex("python:${TAG}").is_resolved());
    }

    #[test]
    fn modifiers() {
        assert_eq!(ex("${NOPE:-3.12}").value, "3.12");
        assert!(ex("${NOPE:-3.12}").is_resolved());
        assert_eq!(ex("${EMPTY:-x}").value, "x");
        assert_eq!(ex("${EMPTY-x}").value, "");
        assert_eq!(ex("${TAG:+set}").value, "set");
        assert_eq!(ex("${NOPE:+set}").value, "");
        assert_eq!(ex("${NOPE+set}").value, "");
        assert_eq!(ex("${TAG%-slim}").value, "3.9");
        assert_eq!(ex("${TAG#3.}").value, "9-slim");
    }

    #[test]
    fn unresolved_is_reported() {
        let e = ex("node:${NODE_VERSION}-alpine");
        assert_eq!(e.value, "node:-alpine");
        assert_eq!(e.unresolved, ["NODE_VERSION"]);
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(ex("'$TAG'").value, "$TAG");
        assert_eq!(ex("\"a $TAG\"").value, "a 3.9-slim");
        assert_eq!(ex("\\$TAG").value, "$TAG");
        assert_eq!(ex("\"\\$x\"").value, "$x");
        assert_eq!(ex("a$").value, "a$");
        assert_eq!(expand_word("`$TAG", '`', &env).value, "$TAG");
    }
}
