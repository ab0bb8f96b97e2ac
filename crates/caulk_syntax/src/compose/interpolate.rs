//! Compose variable interpolation (`$VAR`, `${VAR}`, `${VAR:-x}`, `${VAR-x}`, `${VAR:?err}`,
//! `${VAR:+x}`, `$$`) and the `.env` file format, as Docker Compose implements them.

use std::collections::BTreeMap;

/// The result of interpolating one string.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Interpolated {
    pub value: String,
    /// Variables that were unset with no default; their `${…}` text is kept as written.
    pub unresolved: Vec<String>,
    /// Messages of `${VAR:?err}` whose variable is unset (or empty with `:?`).
    pub errors: Vec<String>,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Interpolates `text` with variables from `env`.
pub fn interpolate(text: &str, env: &BTreeMap<String, String>) -> Interpolated {
    let mut out = Interpolated::default();
    interpolate_into(text, env, &mut out, 0);
    out
}

fn interpolate_into(text: &str, env: &BTreeMap<String, String>, out: &mut Interpolated, depth: u32) {
    if depth > 8 || !text.contains('$') {
        out.value.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.value.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.value.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let Some(close) = matching_brace(body) else {
                // unterminated: keep literally
                out.value.push_str(&rest[pos..]);
                return;
            };
            let inner = &body[..close];
            let whole = &rest[pos..=pos + 2 + close];
            expand_braced(inner, whole, env, out, depth);
            rest = &body[close + 1..];
        } else if after.starts_with(is_name_start) {
            let len = after.find(|c: char| !is_name_char(c)).unwrap_or(after.len());
            let name = &after[..len];
            match env.get(name) {
                Some(v) => out.value.push_str(v),
                None => {
                    out.value.push_str(&rest[pos..=pos + len]);
                    out.unresolved.push(name.to_owned());
                }
            }
            rest = &after[len..];
        } else {
            out.value.push('$');
            rest = after;
        }
    }
    out.value.push_str(rest);
}

/// Offset of the `}` closing a `${` whose body starts `body`, counting nested `${…}`.
fn matching_brace(body: &str) -> Option<usize> {
    let mut depth = 0u32;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'$') if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            Some(b'}') if depth == 0 => return Some(i),
            Some(b'}') => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn expand_braced(inner: &str, whole: &str, env: &BTreeMap<String, String>, out: &mut Interpolated, depth: u32) {
    let len = inner.find(|c: char| !is_name_char(c)).unwrap_or(inner.len());
    let name = &inner[..len];
    let op = &inner[len..];
    let value = env.get(name);
    let set_nonempty = value.is_some_and(|v| !v.is_empty());
    let (kind, arg) = if let Some(a) = op.strip_prefix(":-") {
        ("-", Some((a, true)))
    } else if let Some(a) = op.strip_prefix(":?") {
        ("?", Some((a, true)))
    } else if let Some(a) = op.strip_prefix(":+") {
        ("+", Some((a, true)))
    } else if let Some(a) = op.strip_prefix('-') {
        ("-", Some((a, false)))
    } else if let Some(a) = op.strip_prefix('?') {
        ("?", Some((a, false)))
    } else if let Some(a) = op.strip_prefix('+') {
        ("+", Some((a, false)))
    } else {
        ("", None)
    };
    if name.is_empty() || (kind.is_empty() && !op.is_empty()) {
        out.value.push_str(whole);
        return;
    }
    match (kind, arg) {
        ("-", Some((default, colon))) => {
            if (colon && set_nonempty) || (!colon && value.is_some()) {
                out.value.push_str(value.map_or("", String::as_str));
            } else {
                interpolate_into(default, env, out, depth + 1);
            }
        }
        ("?", Some((message, colon))) => {
            if (colon && set_nonempty) || (!colon && value.is_some()) {
                out.value.push_str(value.map_or("", String::as_str));
            } else {
                let msg = if message.is_empty() { "required variable is missing a value" } else { message };
                out.errors.push(format!("`{name}`: {msg}"));
                out.value.push_str(whole);
                out.unresolved.push(name.to_owned());
            }
        }
        ("+", Some((alt, colon))) => {
            if (colon && set_nonempty) || (!colon && value.is_some()) {
                interpolate_into(alt, env, out, depth + 1);
            }
        }
        _ => match value {
            Some(v) => out.value.push_str(v),
            None => {
                out.value.push_str(whole);
                out.unresolved.push(name.to_owned());
            }
        },
    }
}

/// Parses a `.env` file: `KEY=VALUE` lines, `export` prefixes, `#` comments, quoted values
/// (double quotes process `\n` and interpolate earlier keys, single quotes are literal).
pub fn parse_dotenv(text: &str, env: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let Some((key, value)) = line.split_once('=') else { continue };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(is_name_char) {
            continue;
        }
        let value = value.trim();
        let value = if let Some(v) = value.strip_prefix('\'') {
            v.rsplit_once('\'').map_or(v, |(v, _)| v).to_owned()
        } else {
            let mut scope = env.clone();
            scope.extend(vars.clone());
            let (raw, quoted) = match value.strip_prefix('"') {
                Some(v) => (v.rsplit_once('"').map_or(v, |(v, _)| v), true),
                None => (value.split(" #").next().unwrap_or(value).trim_end(), false),
            };
            let raw = if quoted { raw.replace("\\n", "\n").replace("\\\"", "\"") } else { raw.to_owned() };
            interpolate(&raw, &scope).value
        };
        vars.insert(key.to_owned(), value);
    }
    vars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> BTreeMap<String, String> {
        [("TAG", "1.2"), ("EMPTY", "")].into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
    }

    #[test]
    fn forms() {
        let e = env();
        assert_eq!(interpolate("nginx:${TAG}", &e).value, "nginx:1.2");
        assert_eq!(interpolate("nginx:$TAG-x", &e).value, "nginx:1.2-x");
        assert_eq!(interpolate("${NOPE:-a${TAG}}", &e).value, "a1.2");
        assert_eq!(interpolate("${EMPTY:-d}", &e).value, "d");
        assert_eq!(interpolate("${EMPTY-d}", &e).value, "");
        assert_eq!(interpolate("${TAG:+on}", &e).value, "on");
        assert_eq!(interpolate("${NOPE:+on}", &e).value, "");
        assert_eq!(interpolate("a$$b $1 $", &e).value, "a$b $1 $");
        assert_eq!(interpolate("${unterminated", &e).value, "${unterminated");
    }

    #[test]
    fn unresolved_and_required() {
        let e = env();
        let r = interpolate("x${NOPE}y", &e);
        assert_eq!(r.value, "x${NOPE}y");
        assert_eq!(r.unresolved, vec!["NOPE".to_owned()]);
        let r = interpolate("${DB_PASS:?set DB_PASS}", &e);
        assert_eq!(r.errors, vec!["`DB_PASS`: set DB_PASS".to_owned()]);
    }

    #[test]
    fn dotenv() {
        let vars = parse_dotenv("# c\nexport A=1\nB=\"x ${A}\"\nC='${A}'\nD=v # note\n", &BTreeMap::new());
        assert_eq!(vars.get("A").map(String::as_str), Some("1"));
        assert_eq!(vars.get("B").map(String::as_str), Some("x 1"));
        assert_eq!(vars.get("C").map(String::as_str), Some("${A}"));
        assert_eq!(vars.get("D").map(String::as_str), Some("v"));
    }
}
