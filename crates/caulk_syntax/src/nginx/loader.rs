//! Loads an nginx configuration with its `include`s: globs are resolved against the including
//! file's directory, then the nginx prefix, as nginx does; cycles and missing files become
//! errors on the `include` directive, and the result is the tree nginx would see.

use std::path::{Path, PathBuf};

use caulk_core::TextRange;
use globset::GlobBuilder;

use super::{Config, Directive, FileId, parse};
use crate::SyntaxError;

/// At most this many files are loaded for one configuration.
pub const MAX_FILES: usize = 2000;

/// One file of a loaded configuration.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub path: PathBuf,
    pub text: String,
    /// The file as parsed, before include expansion. For the main file, which nothing can
    /// include again, the directives are kept only when a comment may be a suppression pragma
    /// (`# caulk …`), all they are needed for (the expanded tree holds them; a second copy of
    /// every main file's tree cost a tenth of a corpus run).
    pub config: Config,
    /// Syntax errors of the file.
    pub errors: Vec<SyntaxError>,
}

/// What went wrong while following an `include`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludeProblem {
    /// A non-glob include names a file that does not exist or cannot be read.
    Missing,
    /// The file is already being included further up: nginx would recurse forever.
    Cycle,
    /// Too many files, or a file too large.
    Limit,
}

/// An `include` that could not be followed, located at the directive in its own file.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub file: FileId,
    pub range: TextRange,
    pub problem: IncludeProblem,
    pub message: String,
}

/// A configuration with its includes: the files, and the expanded directive tree.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The main file first, then each included file in the order it was first reached.
    pub files: Vec<LoadedFile>,
    /// The main file's directives with every `include` replaced by what it includes; each
    /// directive's `file` says where it is written. An `include` that resolved to no file
    /// (missing, a glob matching nothing, a `${VAR}` template) stays in the tree, unless it
    /// names a stock data file such as `mime.types`.
    pub tree: Vec<Directive>,
    pub errors: Vec<LoadError>,
    /// Canonical path of each file, to give a file included twice one id.
    keys: Vec<PathBuf>,
    /// Directives produced by include expansion so far (include bombs are cut off).
    expanded: usize,
}

/// Includes nested deeper than this are not followed (real configurations nest two or three).
pub const MAX_INCLUDE_DEPTH: usize = 32;

/// Include expansion stops past this many directives (a file included 2ⁿ times through
/// nested includes would otherwise exhaust memory).
pub const MAX_EXPANDED: usize = 200_000;

fn count(ds: &[Directive]) -> usize {
    ds.iter().map(|d| 1 + count(d.children())).sum()
}

/// Where includes are looked for.
#[derive(Debug)]
struct Bases {
    prefix: Option<PathBuf>,
    main_dir: PathBuf,
    /// `main_dir` and `prefix` made absolute once: absolute includes are read only below them.
    roots: Vec<PathBuf>,
}

/// Loads `path` and everything it includes. `prefix` is nginx's `-p` (also the base for
/// relative includes after the including file's own directory). A main file that cannot be
/// read is an `Err` with the I/O error.
pub fn load(path: &Path, prefix: Option<&Path>) -> std::io::Result<Loaded> {
    let text = read_text(path)?;
    Ok(load_text(path, text, prefix))
}

/// Like [`load`] with the main file's text already read.
pub fn load_text(path: &Path, text: String, prefix: Option<&Path>) -> Loaded {
    let main_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let roots = std::iter::once(main_dir.as_path()).chain(prefix).map(canonical).collect();
    let bases = Bases { prefix: prefix.map(Path::to_path_buf), main_dir, roots };
    let mut loaded = Loaded::default();
    let parsed = parse(&text);
    let mut config = parsed.ast;
    set_file(&mut config.directives, 0);
    loaded.files.push(LoadedFile { path: path.to_path_buf(), text, config: kept(&config), errors: parsed.errors });
    let key = canonical(path);
    loaded.keys.push(key.clone());
    let mut stack = vec![key];
    loaded.tree = expand(config.directives, 0, path, &bases, &mut stack, &mut loaded);
    loaded
}

/// What [`LoadedFile::config`] keeps of a parsed main file.
fn kept(config: &Config) -> Config {
    let pragmas = config.comments.iter().any(|c| c.text.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("caulk")));
    Config {
        directives: if pragmas { config.directives.clone() } else { Vec::new() },
        comments: config.comments.clone(),
    }
}

fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::Read as _;
    // one open and one fstat: the size is checked on the file that is then read
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > super::MAX_FILE_SIZE as u64 {
        return Err(std::io::Error::other(format!(
            "file is {len} bytes; files over {} bytes are not parsed",
            super::MAX_FILE_SIZE
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0) + 1);
    // a file that grows while it is read is still cut at the limit
    file.take(super::MAX_FILE_SIZE as u64 + 1).read_to_end(&mut bytes)?;
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// `a/b/../c` → `a/c`, `./a` → `a`, without touching the filesystem (reported paths stay
/// relative when the user gave relative ones).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The working directory, asked once: `std::path::absolute` asks the kernel on every call.
static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

/// The identity of a file for de-duplication and cycle detection: its absolute, lexically
/// normalised path. (Resolving symlinks would cost a syscall per path component for every file;
/// a cycle through a symlink is still cut by `MAX_INCLUDE_DEPTH`.)
fn canonical(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return normalize(path);
    }
    match CWD.get_or_init(|| std::env::current_dir().ok()) {
        Some(cwd) => normalize(&cwd.join(path)),
        None => normalize(path),
    }
}

fn set_file(ds: &mut [Directive], file: FileId) {
    for d in ds {
        d.file = file;
        if let Some(b) = &mut d.block {
            set_file(b, file);
        }
    }
}

/// Replaces `include` directives by their files' directives, recursively.
fn expand(
    directives: Vec<Directive>,
    file: FileId,
    file_path: &Path,
    bases: &Bases,
    stack: &mut Vec<PathBuf>,
    loaded: &mut Loaded,
) -> Vec<Directive> {
    let mut out = Vec::with_capacity(directives.len());
    for mut d in directives {
        if d.is("include") && d.block.is_none() && d.args.len() == 1 {
            let pattern = d.arg(0).to_owned();
            let range = d.args.first().map_or(d.range, |a| a.range);
            let targets = resolve(&pattern, file_path, bases, file, range, loaded);
            if targets.is_empty() {
                // kept so checks know this block has content they cannot see (stock data
                // files such as `mime.types` set nothing they look for)
                if !is_stock_data_file(&pattern) || sets_proxy_headers(&pattern) {
                    out.push(d);
                }
                continue;
            }
            for target in targets {
                let key = canonical(&target);
                if stack.contains(&key) {
                    loaded.errors.push(LoadError {
                        file,
                        range,
                        problem: IncludeProblem::Cycle,
                        message: format!(
                            "`{}` includes itself (through `{pattern}`); nginx would fail",
                            target.display()
                        ),
                    });
                    continue;
                }
                if stack.len() >= MAX_INCLUDE_DEPTH {
                    loaded.errors.push(LoadError {
                        file,
                        range,
                        problem: IncludeProblem::Limit,
                        message: format!(
                            "includes nested deeper than {MAX_INCLUDE_DEPTH} levels; `{}` is not included",
                            target.display()
                        ),
                    });
                    continue;
                }
                if loaded.expanded > MAX_EXPANDED {
                    loaded.errors.push(LoadError {
                        file,
                        range,
                        problem: IncludeProblem::Limit,
                        message: format!(
                            "includes expand to more than {MAX_EXPANDED} directives; `{}` is not included",
                            target.display()
                        ),
                    });
                    continue;
                }
                // a file included from several places is one file with one id
                if let Some(id) = loaded.keys.iter().position(|k| *k == key) {
                    let directives = loaded.files.get(id).map(|f| f.config.directives.clone()).unwrap_or_default();
                    loaded.expanded += count(&directives);
                    let id = FileId::try_from(id).unwrap_or(FileId::MAX);
                    stack.push(key);
                    let inner = expand(directives, id, &target, bases, stack, loaded);
                    stack.pop();
                    out.extend(inner);
                    continue;
                }
                if loaded.files.len() >= MAX_FILES {
                    loaded.errors.push(LoadError {
                        file,
                        range,
                        problem: IncludeProblem::Limit,
                        message: format!("more than {MAX_FILES} files included; `{}` is not loaded", target.display()),
                    });
                    continue;
                }
                let text = match read_text(&target) {
                    Ok(t) => t,
                    Err(e) => {
                        loaded.errors.push(LoadError {
                            file,
                            range,
                            problem: IncludeProblem::Limit,
                            message: format!("cannot read included `{}`: {e}", target.display()),
                        });
                        continue;
                    }
                };
                let id = FileId::try_from(loaded.files.len()).unwrap_or(FileId::MAX);
                let parsed = parse(&text);
                let mut config = parsed.ast;
                set_file(&mut config.directives, id);
                loaded.files.push(LoadedFile {
                    path: target.clone(),
                    text,
                    // kept whole: a file included again is expanded from this copy
                    config: config.clone(),
                    errors: parsed.errors,
                });
                loaded.keys.push(key.clone());
                loaded.expanded += count(&config.directives);
                stack.push(key);
                let inner = expand(config.directives, id, &target, bases, stack, loaded);
                stack.pop();
                out.extend(inner);
            }
            continue;
        }
        if let Some(block) = d.block.take() {
            d.block = Some(expand(block, file, file_path, bases, stack, loaded));
        }
        out.push(d);
    }
    out
}

/// Data files nginx and its packages ship in the configuration directory (`mime.types`,
/// `fastcgi_params`…): their absence from a repository is expected, and, except
/// `proxy_params`, they hold no setting a check looks at.
pub fn is_stock_data_file(pattern: &str) -> bool {
    let name = pattern.rsplit('/').next().unwrap_or(pattern);
    name == "mime.types" || name.ends_with("_params") || name == "koi-utf" || name == "koi-win" || name == "win-utf"
}

/// Debian's stock `proxy_params` sets `proxy_set_header` lines (Host, X-Real-IP,
/// X-Forwarded-For, X-Forwarded-Proto): a block including it unread has headers caulk cannot see.
fn sets_proxy_headers(pattern: &str) -> bool {
    pattern.rsplit('/').next() == Some("proxy_params")
}

/// Files whose absence from a repository is expected: absolute paths name the deployed
/// machine's or container's filesystem; stock data files.
fn is_expected_elsewhere(pattern: &str) -> bool {
    pattern.starts_with('/') || is_stock_data_file(pattern)
}

/// The files an include pattern names, sorted as nginx's glob does.
fn resolve(
    pattern: &str,
    file_path: &Path,
    bases: &Bases,
    file: FileId,
    range: TextRange,
    loaded: &mut Loaded,
) -> Vec<PathBuf> {
    if pattern.contains('$') {
        // `include ${NGINX_CONF}` in templates: unknown until envsubst runs
        return Vec::new();
    }
    let is_glob = pattern.contains(['*', '?', '[']);
    let own_dir = file_path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut candidates: Vec<PathBuf> = Vec::new();
    let p = Path::new(pattern);
    if p.is_absolute() {
        // An absolute path is read only inside the checked configuration's own tree (checking
        // `/etc/nginx/nginx.conf` on a server), never from whatever the host happens to have:
        // a repository's findings must not depend on the machine that checks it.
        let normalized = normalize(p);
        if bases.roots.iter().any(|root| normalized.starts_with(root)) {
            candidates.push(p.to_path_buf());
        }
        // `/etc/nginx/conf.d/x.conf` in a repository whose prefix is its own `nginx/` copy
        if let (Some(prefix), Some(rest)) = (&bases.prefix, pattern.strip_prefix("/etc/nginx/")) {
            candidates.push(prefix.join(rest));
        }
    } else {
        candidates.push(own_dir.join(p));
        if let Some(prefix) = &bases.prefix {
            candidates.push(prefix.join(p));
        }
        candidates.push(bases.main_dir.join(p));
    }
    for c in &mut candidates {
        *c = normalize(c);
    }
    candidates.dedup();
    for c in &candidates {
        let found = if is_glob {
            glob(c)
        } else if c.is_file() {
            vec![c.clone()]
        } else {
            Vec::new()
        };
        if !found.is_empty() {
            return found;
        }
    }
    if !is_glob && !is_expected_elsewhere(pattern) {
        let tried = candidates.iter().map(|c| format!("`{}`", c.display())).collect::<Vec<_>>().join(", ");
        loaded.errors.push(LoadError {
            file,
            range,
            problem: IncludeProblem::Missing,
            message: format!("included file `{pattern}` not found (looked for {tried})"),
        });
    }
    Vec::new()
}

/// Files matching a glob: the longest literal directory prefix is walked as deep as the
/// pattern has components.
fn glob(pattern: &Path) -> Vec<PathBuf> {
    let Some(pat) = pattern.to_str() else { return Vec::new() };
    let Ok(g) = GlobBuilder::new(pat).literal_separator(true).build() else { return Vec::new() };
    let matcher = g.compile_matcher();
    let mut base = PathBuf::new();
    let mut depth = 0usize;
    let mut in_glob = false;
    for comp in pattern.components() {
        let s = comp.as_os_str().to_string_lossy();
        if in_glob || s.contains(['*', '?', '[']) {
            in_glob = true;
            depth += 1;
        } else {
            base.push(comp);
        }
    }
    let mut out = Vec::new();
    walk(&base, depth, &matcher, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, depth: usize, matcher: &globset::GlobMatcher, out: &mut Vec<PathBuf>) {
    if depth == 0 || out.len() >= MAX_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let path = e.path();
        // match the name before asking the file system anything: directories can be large
        if depth == 1 {
            if matcher.is_match(&path) && e.file_type().is_ok_and(|t| t.is_file() || (t.is_symlink() && path.is_file()))
            {
                out.push(path);
            }
        } else if e.file_type().is_ok_and(|t| t.is_dir() || (t.is_symlink() && path.is_dir())) {
            walk(&path, depth - 1, matcher, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_globs_relative_to_the_including_file_and_detects_cycles() {
        let dir = std::env::temp_dir().join(format!("caulk-nginx-loader-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("conf.d")).unwrap();
        std::fs::write(
            dir.join("nginx.conf"),
            "http {\n include /etc/nginx/mime.types;\n include conf.d/*.conf;\n include missing.conf;\n}\n",
        )
        .unwrap();
        std::fs::write(dir.join("conf.d/a.conf"), "server { include ../snip.inc; }\n").unwrap();
        std::fs::write(dir.join("conf.d/b.conf"), "include b.conf;\n").unwrap();
        std::fs::write(dir.join("snip.inc"), "server_tokens off;\n").unwrap();
        let loaded = load(&dir.join("nginx.conf"), None).unwrap();
        let http = &loaded.tree[0];
        assert_eq!(http.children().len(), 2);
        assert_eq!(http.children()[1].name, "include");
        let server = &http.children()[0];
        assert_eq!(server.children()[0].name, "server_tokens");
        assert_eq!(loaded.files.len(), 4);
        let file = server.children()[0].file as usize;
        assert_eq!(loaded.files[file].path, dir.join("snip.inc"));
        assert_eq!(normalize(Path::new("./a/../../b/./c")), Path::new("../b/c"));
        let problems: Vec<_> = loaded.errors.iter().map(|e| e.problem.clone()).collect();
        assert_eq!(problems, [IncludeProblem::Cycle, IncludeProblem::Missing], "{:?}", loaded.errors);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unread_stock_files_are_dropped_unless_they_set_proxy_headers() {
        let dir = std::env::temp_dir().join(format!("caulk-nginx-stock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("nginx.conf"),
            "server {\n location / { include proxy_params; proxy_pass http://a; }\n \
             location /f { include fastcgi_params; include /etc/nginx/uwsgi_params; }\n}\n",
        )
        .unwrap();
        let loaded = load(&dir.join("nginx.conf"), None).unwrap();
        assert!(loaded.errors.is_empty(), "stock files are expected elsewhere: {:?}", loaded.errors);
        let server = &loaded.tree[0];
        let names = |i: usize| server.children()[i].children().iter().map(|d| d.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(0), ["include", "proxy_pass"], "proxy_params sets headers checks must know about");
        assert!(names(1).is_empty(), "parameter files hold nothing a check reads");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn shared_includes_keep_one_id_and_include_bombs_are_cut_off() {
        let dir = std::env::temp_dir().join(format!("caulk-nginx-bomb-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // l0 includes l1 ten times, l1 includes l2 ten times, …: 10^8 directives if expanded
        for level in 0..8 {
            let body = if level == 7 {
                "add_header A b;\n".to_owned()
            } else {
                format!("include l{}.conf;\n", level + 1).repeat(10)
            };
            std::fs::write(dir.join(format!("l{level}.conf")), body).unwrap();
        }
        let loaded = load(&dir.join("l0.conf"), None).unwrap();
        assert_eq!(loaded.files.len(), 8);
        assert!(loaded.errors.iter().any(|e| e.problem == IncludeProblem::Limit));
        assert!(count(&loaded.tree) <= MAX_EXPANDED + 10);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn deep_include_chains_are_cut_off() {
        let dir = std::env::temp_dir().join(format!("caulk-nginx-deep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for level in 0..100 {
            std::fs::write(dir.join(format!("d{level}.conf")), format!("a {{ include d{}.conf; }}\n", level + 1))
                .unwrap();
        }
        let loaded = load(&dir.join("d0.conf"), None).unwrap();
        assert_eq!(loaded.files.len(), MAX_INCLUDE_DEPTH);
        assert!(loaded.errors.iter().any(|e| e.problem == IncludeProblem::Limit && e.message.contains("nested")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
