//! Loads a compose project as `docker compose` does: the main file, its override file, `.env`,
//! interpolation, `include:` and `extends:`, merged into one set of services whose nodes still
//! know the file and range they were written at.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use caulk_core::TextRange;

use super::interpolate::{interpolate, parse_dotenv};
use super::yaml::{self, Entry, FileId, MergeTag, Node, NodeKind};

/// Most files one project may load (main, overrides, includes, extends).
pub const MAX_FILES: usize = 64;

/// Why a file is part of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    Main,
    Override,
    Include,
    Extends,
}

/// One file the project read.
#[derive(Debug, Clone)]
pub struct ComposeFile {
    pub path: PathBuf,
    pub text: String,
    pub role: FileRole,
}

/// A problem loading the project, located in one of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
    pub kind: LoadErrorKind,
}

/// What kind of problem a [`LoadError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// Invalid YAML, a limit crossed, a cycle, a missing file or service: compose refuses it.
    Invalid,
    /// A `${VAR:?message}` variable is unset here; it may be set where the project is deployed.
    UnsetRequired,
}

/// A service after merging, `extends` and interpolation.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// The service's key in the file that first defined it.
    pub key: Node,
    /// The merged service mapping.
    pub node: Node,
}

impl Service {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.node.get(key)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.node.entry(key)
    }

    /// `profiles:` of the service; a service with profiles only starts when one is enabled.
    pub fn profiles(&self) -> Vec<&str> {
        self.get("profiles").map(|p| p.strings().into_iter().filter_map(Node::as_str).collect()).unwrap_or_default()
    }
}

/// A loaded compose project.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub files: Vec<ComposeFile>,
    /// The merged top-level mapping (services excluded from included files).
    pub root: Option<Node>,
    pub services: Vec<Service>,
    pub errors: Vec<LoadError>,
    /// Variables used for interpolation (process environment over `.env`).
    pub env: BTreeMap<String, String>,
}

impl Project {
    pub fn file(&self, id: FileId) -> Option<&ComposeFile> {
        self.files.get(id as usize)
    }

    /// A top-level section such as `networks`.
    pub fn top(&self, key: &str) -> Option<&Node> {
        self.root.as_ref().and_then(|r| r.get(key))
    }

    /// The profiles chosen for this project: `explicit` (`--profile`) when given, else
    /// `COMPOSE_PROFILES` from the environment or `.env` (comma-separated, as Compose reads it);
    /// `None` when nothing chose any.
    pub fn active_profiles(&self, explicit: &[String]) -> Option<Vec<String>> {
        if !explicit.is_empty() {
            return Some(explicit.to_vec());
        }
        let listed = self.env.get("COMPOSE_PROFILES")?;
        let profiles: Vec<String> =
            listed.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect();
        (!profiles.is_empty()).then_some(profiles)
    }

    /// Keeps the services `docker compose --profile …` would start with `profiles` active:
    /// those without `profiles:`, and those with one of the active profiles (`*` activates all).
    pub fn retain_profiles(&mut self, profiles: &[String]) {
        if profiles.iter().any(|p| p == "*") {
            return;
        }
        self.services.retain(|s| {
            let own = s.profiles();
            own.is_empty() || own.iter().any(|p| profiles.iter().any(|a| a == p))
        });
    }
}

/// How files are read; tests and fuzzing use an in-memory map.
pub trait FileSource {
    fn read(&self, path: &Path) -> Option<String>;
}

/// Reads from the filesystem.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fs;

impl FileSource for Fs {
    fn read(&self, path: &Path) -> Option<String> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        if meta.len() > yaml::MAX_FILE_BYTES as u64 {
            return Some(String::from_utf8_lossy(&vec![b' '; yaml::MAX_FILE_BYTES + 1]).into_owned());
        }
        std::fs::read(path).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

impl FileSource for BTreeMap<PathBuf, String> {
    fn read(&self, path: &Path) -> Option<String> {
        self.get(path).cloned()
    }
}

const DEFAULT_NAMES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

/// The override file Docker Compose loads next to a default-named main file.
pub fn override_file_for(main: &Path, fs: &dyn FileSource) -> Option<PathBuf> {
    let name = main.file_name()?.to_str()?;
    if !DEFAULT_NAMES.contains(&name) {
        return None;
    }
    let stem = name.split('.').next()?;
    let dir = main.parent().unwrap_or(Path::new(""));
    ["yaml", "yml"].iter().map(|ext| dir.join(format!("{stem}.override.{ext}"))).find(|p| fs.read(p).is_some())
}

/// Whether `path` is an override file (loaded with its main file, not on its own).
pub fn is_override_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains(".override.") && (n.ends_with(".yml") || n.ends_with(".yaml")))
}

struct Loader<'a> {
    fs: &'a dyn FileSource,
    project: Project,
    /// Canonical paths being included, for cycle detection.
    include_stack: Vec<PathBuf>,
}

/// Loads the project of `files` (as `docker compose -f a -f b`), with `env` as the process
/// environment; `.env` next to the first file fills variables the environment does not set.
/// With one default-named file, its override file is added as Docker Compose does.
pub fn load(files: &[PathBuf], env: &BTreeMap<String, String>, fs: &dyn FileSource) -> Project {
    let mut files = files.to_vec();
    if let [main] = files.as_slice()
        && let Some(o) = override_file_for(main, fs)
    {
        files.push(o);
    }
    let dir = files.first().and_then(|f| f.parent()).map(Path::to_path_buf).unwrap_or_default();
    let mut vars = fs.read(&dir.join(".env")).map(|t| parse_dotenv(&t, env)).unwrap_or_default();
    vars.extend(env.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut loader = Loader { fs, project: Project { env: vars, ..Project::default() }, include_stack: Vec::new() };
    let root = loader.load_merged(&files, FileRole::Main);
    loader.finish(root)
}

/// Parses one compose text held in memory (tests, fuzzing): no override files, no `.env`.
pub fn parse_str(text: &str, env: &BTreeMap<String, String>) -> Project {
    let path = PathBuf::from("compose.yaml");
    let mut fs = BTreeMap::new();
    fs.insert(path.clone(), text.to_owned());
    let mut loader =
        Loader { fs: &fs, project: Project { env: env.clone(), ..Project::default() }, include_stack: Vec::new() };
    let root = loader.load_merged(&[path], FileRole::Main);
    loader.finish(root)
}

impl Loader<'_> {
    fn error(&mut self, file: FileId, range: TextRange, message: impl Into<String>) {
        self.project.errors.push(LoadError { file, range, message: message.into(), kind: LoadErrorKind::Invalid });
    }

    /// Reads, parses and interpolates one file; `None` when unreadable or invalid.
    fn load_file(&mut self, path: &Path, role: FileRole, from: Option<(FileId, TextRange)>) -> Option<(FileId, Node)> {
        if self.project.files.len() >= MAX_FILES {
            let (f, r) = from.unwrap_or((0, TextRange::empty(0)));
            self.error(f, r, format!("more than {MAX_FILES} compose files; `{}` is not loaded", path.display()));
            return None;
        }
        let Some(text) = self.fs.read(path) else {
            if let Some((f, r)) = from {
                self.error(f, r, format!("cannot read `{}`", path.display()));
            }
            return None;
        };
        let id = caulk_core::text::to_u32(self.project.files.len());
        let (node, errors) = yaml::parse(&text, id);
        self.project.files.push(ComposeFile { path: path.to_path_buf(), text, role });
        for e in errors {
            self.error(id, e.range, e.message);
        }
        let mut node = node?;
        if node.as_map().is_none() {
            if !node.is_null() {
                self.error(id, node.range, "a compose file must be a mapping");
            }
            return None;
        }
        self.interpolate(&mut node);
        Some((id, node))
    }

    fn interpolate(&mut self, node: &mut Node) {
        let env = &self.project.env;
        let mut errors = Vec::new();
        node.for_each_value_mut(&mut |n| {
            if let NodeKind::Scalar(s) = &mut n.kind
                && s.value.contains('$')
            {
                let r = interpolate(&s.value, env);
                s.unresolved = !r.unresolved.is_empty();
                s.value = r.value;
                for e in r.errors {
                    errors.push((n.file, n.range, e));
                }
            }
        });
        for (f, r, e) in errors {
            let message = format!("required variable is not set: {e}");
            self.project.errors.push(LoadError { file: f, range: r, message, kind: LoadErrorKind::UnsetRequired });
        }
    }

    /// Loads `paths` and merges them in order, then resolves their `include:`.
    fn load_merged(&mut self, paths: &[PathBuf], role: FileRole) -> Option<Node> {
        let mut root: Option<Node> = None;
        for (i, path) in paths.iter().enumerate() {
            let role = if i == 0 { role } else { FileRole::Override };
            let Some((_, node)) = self.load_file(path, role, None) else { continue };
            root = Some(match root {
                None => node,
                Some(base) => merge(base, node, &[]),
            });
        }
        let mut root = root?;
        self.resolve_includes(&mut root, paths.first().map(PathBuf::as_path));
        Some(root)
    }

    fn resolve_includes(&mut self, root: &mut Node, main: Option<&Path>) {
        let Some(include) = root.get("include").cloned() else { return };
        let dir = main.and_then(Path::parent).unwrap_or(Path::new("")).to_path_buf();
        let canonical = main.map(|m| std::fs::canonicalize(m).unwrap_or_else(|_| m.to_path_buf()));
        if let Some(c) = &canonical {
            self.include_stack.push(c.clone());
        }
        let items: Vec<Node> = match &include.kind {
            NodeKind::Seq(items) => items.clone(),
            _ => vec![include.clone()],
        };
        for item in items {
            let paths: Vec<&Node> = match &item.kind {
                NodeKind::Scalar(_) => vec![&item],
                NodeKind::Map(_) => item.get("path").map(Node::strings).unwrap_or_default(),
                NodeKind::Seq(_) => Vec::new(),
            };
            let Some(first) = paths.first() else { continue };
            let files: Vec<PathBuf> = paths.iter().filter_map(|p| p.as_str()).map(|p| dir.join(p)).collect();
            let Some(first_path) = files.first() else { continue };
            let canon = std::fs::canonicalize(first_path).unwrap_or_else(|_| first_path.clone());
            if self.include_stack.contains(&canon) || self.include_stack.len() > 16 {
                self.error(
                    first.file,
                    first.range,
                    format!("include cycle: `{}` includes itself", first_path.display()),
                );
                continue;
            }
            let (first_file, first_range) = (first.file, first.range);
            let mut loaded: Option<Node> = None;
            for (i, p) in files.iter().enumerate() {
                let role = if i == 0 { FileRole::Include } else { FileRole::Override };
                let Some((_, node)) = self.load_file(p, role, Some((first_file, first_range))) else { continue };
                loaded = Some(match loaded {
                    None => node,
                    Some(base) => merge(base, node, &[]),
                });
            }
            let Some(mut inc) = loaded else { continue };
            self.include_stack.push(canon);
            self.resolve_includes(&mut inc, Some(first_path));
            self.include_stack.pop();
            // included resources are added; a name defined on both sides is an error in compose
            for section in ["services", "networks", "volumes", "secrets", "configs"] {
                let Some(NodeKind::Map(add)) = inc.get(section).map(|n| n.kind.clone()) else { continue };
                let Some(target) = ensure_map(root, section, first_file, first_range) else { continue };
                for e in add {
                    if let Some(existing) = target.iter().find(|x| x.key.as_str() == e.key.as_str()) {
                        let (f, r) = (existing.key.file, existing.key.range);
                        let name = e.key.as_str().unwrap_or_default().to_owned();
                        self.error(
                            f,
                            r,
                            format!("{section} `{name}` is also defined by included file `{}`", first_path.display()),
                        );
                        continue;
                    }
                    target.push(e);
                }
            }
        }
        if canonical.is_some() {
            self.include_stack.pop();
        }
    }

    fn finish(mut self, root: Option<Node>) -> Project {
        let mut services = Vec::new();
        if let Some(entries) = root.as_ref().and_then(|r| r.get("services")).and_then(Node::as_map) {
            for e in entries {
                let Some(name) = e.key.as_str() else { continue };
                if e.value.as_map().is_none() {
                    if !e.value.is_null() {
                        self.error(e.value.file, e.value.range, format!("service `{name}` must be a mapping"));
                    }
                    continue;
                }
                let mut chain = vec![(e.value.file, name.to_owned())];
                let node = self.resolve_extends(e.value.clone(), entries, &mut chain);
                services.push(Service { name: name.to_owned(), key: e.key.clone(), node });
            }
        }
        self.project.root = root;
        self.project.services = services;
        self.project
    }

    /// Applies `extends:` (same file or `file:`), base first, recursively, detecting cycles.
    fn resolve_extends(&mut self, service: Node, siblings: &[Entry], chain: &mut Vec<(FileId, String)>) -> Node {
        let Some(ext) = service.get("extends").cloned() else { return service };
        let (base_name, file) = match &ext.kind {
            NodeKind::Scalar(s) => (s.value.clone(), None),
            NodeKind::Map(_) => (
                ext.get("service").and_then(Node::as_str).unwrap_or_default().to_owned(),
                ext.get("file").and_then(Node::as_str).map(str::to_owned),
            ),
            NodeKind::Seq(_) => (String::new(), None),
        };
        let mut this = service;
        if let NodeKind::Map(entries) = &mut this.kind {
            entries.retain(|e| e.key.as_str() != Some("extends"));
        }
        if base_name.is_empty() || chain.len() > 16 {
            self.error(ext.file, ext.range, "`extends` needs a service name");
            return this;
        }
        let (base, base_siblings, base_file) = if let Some(file) = file {
            let dir = self.project.file(ext.file).and_then(|f| f.path.parent()).unwrap_or(Path::new("")).to_path_buf();
            let path = dir.join(&file);
            let existing = self.project.files.iter().position(|f| f.path == path);
            let loaded = match existing {
                Some(_) => {
                    // already loaded: parse again for its services (cheap, keeps ids stable)
                    let text = self.fs.read(&path).unwrap_or_default();
                    let id = caulk_core::text::to_u32(existing.unwrap_or_default());
                    let (node, _) = yaml::parse(&text, id);
                    node.map(|mut n| {
                        self.interpolate(&mut n);
                        (id, n)
                    })
                }
                None => self.load_file(&path, FileRole::Extends, Some((ext.file, ext.range))),
            };
            let Some((id, root)) = loaded else { return this };
            let siblings: Vec<Entry> =
                root.get("services").and_then(Node::as_map).map(<[Entry]>::to_vec).unwrap_or_default();
            let base = siblings.iter().find(|e| e.key.as_str() == Some(&base_name)).map(|e| e.value.clone());
            (base, siblings, id)
        } else {
            let base = siblings.iter().find(|e| e.key.as_str() == Some(&base_name)).map(|e| e.value.clone());
            (base, siblings.to_vec(), ext.file)
        };
        let Some(base) = base else {
            self.error(ext.file, ext.range, format!("`extends` refers to service `{base_name}`, which is not defined"));
            return this;
        };
        let key = (base_file, base_name.clone());
        if chain.contains(&key) {
            self.error(ext.file, ext.range, format!("`extends` cycle through service `{base_name}`"));
            return this;
        }
        chain.push(key);
        let base = self.resolve_extends(base, &base_siblings, chain);
        chain.pop();
        merge(base, this, &["services", "x"])
    }
}

fn ensure_map<'n>(root: &'n mut Node, key: &str, file: FileId, range: TextRange) -> Option<&'n mut Vec<Entry>> {
    if root.as_map().is_none() {
        root.kind = NodeKind::Map(Vec::new());
    }
    let NodeKind::Map(entries) = &mut root.kind else { return None };
    if !entries.iter().any(|e| e.key.as_str() == Some(key)) {
        entries.push(Entry {
            key: Node::scalar(key, range, file),
            value: Node { kind: NodeKind::Map(Vec::new()), range, file, tag: None },
        });
    }
    let entry = entries.iter_mut().find(|e| e.key.as_str() == Some(key))?;
    if entry.value.as_map().is_none() {
        entry.value.kind = NodeKind::Map(Vec::new());
    }
    match &mut entry.value.kind {
        NodeKind::Map(m) => Some(m),
        _ => None,
    }
}

/// Keys whose sequences an override replaces rather than extends.
const REPLACED: [&str; 5] = ["command", "entrypoint", "test", "args", "cap_add_replace"];

/// Merges `over` into `base` as compose merges files: mappings by key, most sequences appended
/// without duplicates, scalars and `command`-like sequences replaced; `!reset` removes and
/// `!override` replaces.
pub fn merge(base: Node, over: Node, path: &[&str]) -> Node {
    if over.tag == Some(MergeTag::Override) {
        return over;
    }
    match (base.kind, over.kind) {
        (NodeKind::Map(mut b), NodeKind::Map(o)) => {
            for e in o {
                let key = e.key.as_str().map(str::to_owned);
                let pos = key.as_deref().and_then(|k| b.iter().position(|x| x.key.as_str() == Some(k)));
                if e.value.tag == Some(MergeTag::Reset) {
                    if let Some(p) = pos {
                        b.remove(p);
                    }
                    continue;
                }
                match pos {
                    Some(p) => {
                        let old = b.remove(p);
                        let k = key.unwrap_or_default();
                        let mut sub: Vec<&str> = path.to_vec();
                        sub.push(&k);
                        let value = merge(old.value, e.value, &sub);
                        b.insert(p, Entry { key: old.key, value });
                    }
                    None => b.push(e),
                }
            }
            Node { kind: NodeKind::Map(b), range: base.range, file: base.file, tag: None }
        }
        (NodeKind::Seq(mut b), NodeKind::Seq(o)) if !path.last().is_some_and(|k| REPLACED.contains(k)) => {
            for item in o {
                let dup = item.as_str().is_some() && b.iter().any(|x| x.as_str() == item.as_str());
                if !dup {
                    b.push(item);
                }
            }
            Node { kind: NodeKind::Seq(b), range: over.range, file: over.file, tag: None }
        }
        (_, kind) => Node { kind, range: over.range, file: over.file, tag: over.tag },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        list.iter().map(|(p, t)| (PathBuf::from(p), (*t).to_owned())).collect()
    }

    #[test]
    fn override_file_is_merged_and_values_remember_their_file() {
        let fs = files(&[
            ("p/compose.yaml", "services:\n  web:\n    image: nginx:${TAG:-1.27}\n    ports: ['80:80']\n"),
            ("p/compose.override.yaml", "services:\n  web:\n    privileged: true\n    ports: ['443:443']\n"),
            ("p/.env", "TAG=1.25\n"),
        ]);
        let p = load(&[PathBuf::from("p/compose.yaml")], &BTreeMap::new(), &fs);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.files.len(), 2);
        let web = &p.services[0];
        assert_eq!(web.get("image").and_then(Node::as_str), Some("nginx:1.25"));
        assert_eq!(web.get("privileged").map(|n| n.file), Some(1));
        assert_eq!(web.get("ports").and_then(Node::as_seq).map(<[Node]>::len), Some(2));
    }

    #[test]
    fn extends_include_and_cycles() {
        let fs = files(&[
            (
                "compose.yaml",
                "include:\n  - db.yaml\nservices:\n  base:\n    read_only: true\n  web:\n    extends: base\n    image: a\n  loop:\n    extends: loop\n",
            ),
            ("db.yaml", "include: [compose.yaml]\nservices:\n  db:\n    image: postgres:16\n"),
        ]);
        let p = load(&[PathBuf::from("compose.yaml")], &BTreeMap::new(), &fs);
        let names: Vec<&str> = p.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["base", "web", "loop", "db"]);
        let web = &p.services[1];
        assert!(web.get("read_only").is_some_and(Node::is_true));
        assert!(web.get("extends").is_none());
        assert!(p.errors.iter().any(|e| e.message.contains("cycle through service `loop`")), "{:?}", p.errors);
        assert!(p.errors.iter().any(|e| e.message.contains("include cycle")), "{:?}", p.errors);
        assert_eq!(p.services[3].node.file, 1);
    }

    #[test]
    fn reset_and_required_variables() {
        let fs = files(&[
            ("compose.yaml", "services:\n  web:\n    image: ${IMG:?set IMG}\n    ports: ['80:80']\n"),
            ("compose.override.yaml", "services:\n  web:\n    ports: !reset []\n"),
        ]);
        let p = load(&[PathBuf::from("compose.yaml")], &BTreeMap::new(), &fs);
        assert!(p.services[0].get("ports").is_none());
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].message.contains("set IMG"));
    }

    #[test]
    fn extends_from_another_file_and_long_include_syntax() {
        let fs = files(&[
            (
                "app/compose.yaml",
                "include:\n  - path: [db/compose.yaml]\nservices:\n  web:\n    extends: {file: common.yaml, service: base}\n    image: web:1\n",
            ),
            ("app/common.yaml", "services:\n  base:\n    read_only: true\n    cap_drop: [ALL]\n"),
            ("app/db/compose.yaml", "services:\n  db:\n    image: postgres:${PG:-16}\n    profiles: [data]\n"),
        ]);
        let env: BTreeMap<String, String> = [("PG".to_owned(), "17".to_owned())].into_iter().collect();
        let p = load(&[PathBuf::from("app/compose.yaml")], &env, &fs);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let web = &p.services[0];
        assert_eq!(
            web.get("read_only").map(|n| n.file),
            Some(2),
            "{:?}",
            p.files.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
        assert_eq!(p.file(2).map(|f| f.role), Some(FileRole::Extends));
        let db = &p.services[1];
        assert_eq!(db.get("image").and_then(Node::as_str), Some("postgres:17"));
        assert_eq!(db.profiles(), ["data"]);
    }

    #[test]
    fn profiles_select_services_like_compose() {
        let text = "services:\n  web:\n    image: web:1\n  db:\n    image: db:1\n    profiles: [data]\n  \
                    debug:\n    image: dbg:1\n    profiles: [debug, tools]\n";
        let names = |p: &Project| p.services.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        let none = BTreeMap::new();
        let p = parse_str(text, &none);
        assert_eq!(p.active_profiles(&[]), None, "nothing chosen: every service is kept");
        let mut only_data = p.clone();
        only_data.retain_profiles(&["data".to_owned()]);
        assert_eq!(names(&only_data), ["web", "db"]);
        let mut tools = p.clone();
        tools.retain_profiles(&["tools".to_owned()]);
        assert_eq!(names(&tools), ["web", "debug"]);
        let mut all = p.clone();
        all.retain_profiles(&["*".to_owned()]);
        assert_eq!(names(&all), ["web", "db", "debug"]);
        let env: BTreeMap<String, String> =
            [("COMPOSE_PROFILES".to_owned(), " debug , data".to_owned())].into_iter().collect();
        let from_env = parse_str(text, &env);
        assert_eq!(from_env.active_profiles(&[]), Some(vec!["debug".to_owned(), "data".to_owned()]));
        assert_eq!(from_env.active_profiles(&["x".to_owned()]), Some(vec!["x".to_owned()]), "--profile wins");
        let empty: BTreeMap<String, String> = [("COMPOSE_PROFILES".to_owned(), String::new())].into_iter().collect();
        assert_eq!(parse_str(text, &empty).active_profiles(&[]), None);
    }
}
