//! What a Dockerfile builds and runs, read from the Dockerfile and its build context: the language
//! and its version, the program and its arguments, ports, environment, the files it copies and
//! how its dependencies are installed.

use std::path::Path;

use caulk_syntax::OffsetMap;
use caulk_syntax::dockerfile::{self, Base, Body, CommandLine, Dockerfile, ImageRef, Instruction, Keyword, Model};
use caulk_syntax::shell::{self, Command, basename};

use super::NotPossible;
use super::dotnet::{self, DotNet};
use crate::packages::{self, Manager};
use crate::secrets;

/// The languages the tiers know how to build and run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Python,
    Node,
    Go,
    Java,
    Rust,
    DotNet,
}

impl Language {
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Python => "Python",
            Self::Node => "Node.js",
            Self::Go => "Go",
            Self::Java => "Java",
            Self::Rust => "Rust",
            Self::DotNet => ".NET",
        }
    }
}

/// A COPY of files from the build context, as the original wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopyFiles {
    /// Flags other than `--chown` and `--from` (`--chmod=755`, `--link`), as written.
    pub(crate) flags: Vec<String>,
    pub(crate) sources: Vec<String>,
    pub(crate) dest: String,
}

impl CopyFiles {
    /// The instruction, owned by `chown` when given; several sources get a directory destination.
    pub(crate) fn render(&self, chown: Option<&str>) -> String {
        let mut words = vec!["COPY".to_owned()];
        if let Some(c) = chown {
            words.push(format!("--chown={c}"));
        }
        words.extend(self.flags.iter().cloned());
        words.extend(self.sources.iter().cloned());
        let mut dest = self.dest.clone();
        if (self.sources.len() > 1 || self.sources.iter().any(|s| s.contains(['*', '?']))) && !dest.ends_with('/') {
            dest.push('/');
        }
        words.push(dest);
        words.join(" ")
    }
}

/// How the program's dependencies are installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Deps {
    /// `pip install -r <file>`.
    Requirements(String),
    /// `pip install .` of the project (pyproject.toml or setup.py).
    PythonProject,
    /// `pip install` of the packages the original named (pinned from requirements.txt when it could be).
    PipPackages(Vec<String>),
    /// package.json, with or without package-lock.json.
    Npm {
        lockfile: bool,
    },
    /// go.mod, with or without go.sum.
    GoModules {
        sum: bool,
    },
    Maven,
    Gradle {
        wrapper: bool,
    },
    Cargo {
        lockfile: bool,
    },
    None,
}

/// Everything the rewriters need to know about the original.
#[derive(Debug, Clone)]
pub(crate) struct App {
    pub(crate) language: Language,
    /// The runtime version the original used (`3.9`, `18`, `1.21`, `17`), when its base image says.
    pub(crate) version: Option<String>,
    /// The working directory of the program (`/app` when the original set none).
    pub(crate) workdir: String,
    /// The program and its arguments (ENTRYPOINT then CMD), empty when the original runs nothing.
    pub(crate) argv: Vec<String>,
    /// How many words of `argv` came from ENTRYPOINT.
    pub(crate) entrypoint_words: usize,
    /// EXPOSE items kept (remote shell ports dropped).
    pub(crate) ports: Vec<String>,
    /// ENV pairs kept, values as written.
    pub(crate) env: Vec<(String, String)>,
    pub(crate) labels: Vec<(String, String)>,
    pub(crate) volumes: Vec<String>,
    pub(crate) stop_signal: Option<String>,
    /// COPY (and local ADD) of the application's files, dependency manifests excluded.
    pub(crate) copies: Vec<CopyFiles>,
    pub(crate) deps: Deps,
    /// A health endpoint the sources mention (`/health`, `/healthz`…).
    pub(crate) health_path: Option<String>,
    /// Go: the package `go build` builds.
    pub(crate) go_package: String,
    /// Go and Rust: the name of the program binary.
    pub(crate) binary: String,
    /// Java: the path of the jar the build writes, relative to the project (`target/x-1.0.jar`).
    pub(crate) jar: Option<String>,
    /// Node.js: the parsed package.json.
    pub(crate) package_json: Option<serde_json::Value>,
    /// .NET: the project the original builds.
    pub(crate) dotnet: Option<DotNet>,
    /// Notes about what was dropped or must be checked.
    pub(crate) notes: Vec<String>,
}

impl App {
    /// The first EXPOSEd port number.
    pub(crate) fn port(&self) -> Option<u16> {
        self.ports.iter().find_map(|p| p.split('/').next().and_then(|n| n.trim().parse().ok()))
    }

    /// The program the original runs, as a basename.
    pub(crate) fn program(&self) -> Option<&str> {
        self.argv.first().map(|p| basename(p))
    }
}

/// Dependency manifests: a COPY of only these is replaced by the tier's own install step.
const MANIFESTS: &[&str] = &[
    "requirements.txt",
    "requirements*.txt",
    "requirements-*.txt",
    "package.json",
    "package-lock.json",
    "package*.json",
    "npm-shrinkwrap.json",
    "go.mod",
    "go.sum",
    "pom.xml",
    "Cargo.toml",
    "Cargo.lock",
];

/// Programs whose RUN commands the tiers replace with their own install or build step.
const HANDLED_PROGRAMS: &[&str] = &[
    "apt-get", "apt", "apk", "yum", "dnf", "microdnf", "npm", "yarn", "pnpm", "go", "cargo", "mvn", "mvnw", "gradle",
    "gradlew", "rm", "true", "rustup", "dotnet", "addgroup", "adduser", "groupadd", "useradd",
];

/// Reads what the tiers need from `text` and the build context `context`.
pub(crate) fn detect(text: &str, context: &Path) -> Result<App, NotPossible> {
    let parsed = dockerfile::parse(text);
    let df = &parsed.ast;
    let model = Model::new(df, None);
    let Some(fin) = model.final_stage() else {
        return Err(NotPossible::new("the Dockerfile has no FROM instruction"));
    };
    // the final stage and the stages it is built FROM, oldest first
    let mut chain = vec![fin.index];
    while let Some(Base::Stage(p)) = chain.last().and_then(|&s| model.stages.get(s)).map(|s| &s.base) {
        if chain.contains(p) || chain.len() > model.stages.len() {
            break;
        }
        chain.push(*p);
    }
    chain.reverse();
    let reachable: Vec<usize> = model.stages.iter().filter(|s| s.reachable).map(|s| s.index).collect();

    let mut notes = Vec::new();
    let mut st = Settings::default();
    for &s in &chain {
        let Some(stage) = model.stages.get(s) else { continue };
        st.cmd_in_stage = false;
        for i in stage.body() {
            let Some(inst) = df.instructions.get(i) else { continue };
            st.read(df, &model, i, inst, &mut notes)?;
        }
    }

    // COPY and RUN of every stage the final image needs
    let mut copies = Vec::new();
    let mut runs: Vec<(usize, &Instruction)> = Vec::new();
    for &s in &reachable {
        let Some(stage) = model.stages.get(s) else { continue };
        for i in stage.body() {
            let Some(inst) = df.instructions.get(i) else { continue };
            match inst.keyword {
                Keyword::Copy | Keyword::Add => read_copy(inst, &mut copies, &mut notes),
                Keyword::Run => runs.push((i, inst)),
                _ => {}
            }
        }
    }

    let images: Vec<&ImageRef> = std::iter::once(fin.index)
        .chain(reachable.iter().copied().filter(|&s| s != fin.index))
        .filter_map(|s| model.stages.get(s))
        .filter_map(|s| match s.root_image(&model.stages) {
            Base::Image(r) => Some(r),
            _ => None,
        })
        .collect();
    let run_commands: Vec<&Command> = runs.iter().flat_map(|(i, _)| model.commands(*i)).collect();

    let mut project = Project::read(context);
    project.dotnet = dotnet::find(context, &run_commands);
    let language = language_of(&images, &st.argv, &run_commands, &project).ok_or_else(|| {
        NotPossible::new(
            "caulk cannot tell which language this Dockerfile builds (no python, node, golang, Java, rust or .NET base image, run command or project file); tiers are available for Python, Node.js, Go, Java, Rust and .NET programs",
        )
    })?;
    let mut version = images.iter().find_map(|r| image_version(language, r));
    if language == Language::Java
        && let Some(v) = project.pom.as_deref().and_then(pom_java_version)
        && version.as_deref().and_then(|x| x.parse::<u32>().ok()).is_none_or(|x| v.parse::<u32>().is_ok_and(|p| p > x))
    {
        version = Some(v);
    }
    let dotnet_project = if language == Language::DotNet {
        let found = project.dotnet.clone().ok_or_else(|| {
            NotPossible::new(
                "the build context has no .csproj or .fsproj caulk can tell is the program (none named by `dotnet publish`, and not exactly one at the context root or one directory down): the tiers build .NET programs from their project file",
            )
        })?;
        // the project's target framework decides the runtime it needs
        if let Some(v) = &found.version {
            version = Some(v.clone());
        }
        dotnet::settle_ports(&mut st.ports, &st.env, found.web, &mut notes);
        Some(found)
    } else {
        None
    };

    note_dropped_runs(&runs, &model, &mut notes);
    let os_packages: Vec<String> = packages::installs(&run_commands.iter().map(|c| (*c).clone()).collect::<Vec<_>>())
        .iter()
        .filter(|i| matches!(i.manager, Manager::Apt | Manager::Apk | Manager::Yum | Manager::Zypper))
        .flat_map(|i| i.packages.iter().map(|w| w.value.clone()).collect::<Vec<_>>())
        .collect();
    if !os_packages.is_empty() {
        let mut names = os_packages.clone();
        names.dedup();
        notes.push(format!(
            "OS packages the original installed are left out: {}; add back, pinned, only what the program needs at run time",
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ));
    }

    let deps = deps_of(language, &run_commands, &project, &mut notes)?;
    let (mut copies, manifest_only): (Vec<CopyFiles>, Vec<CopyFiles>) =
        copies.into_iter().partition(|c| !c.sources.iter().all(|s| is_manifest(s)));
    if copies.is_empty() {
        let _ = manifest_only;
        copies.push(CopyFiles { flags: Vec::new(), sources: vec![".".to_owned()], dest: ".".to_owned() });
        notes.push("the original copied no application files; the rewrite copies the whole build context (`COPY . .`): keep a `.dockerignore`".to_owned());
    }
    copies.dedup();

    let (go_package, go_output) = go_build_target(&run_commands);
    let argv_program = st.argv.first().map(|p| basename(p).to_owned()).filter(|p| !is_interpreter(p));
    let binary = match language {
        Language::Go => go_output
            .or(argv_program)
            .or_else(|| project.go_mod.as_deref().and_then(go_module_name))
            .unwrap_or_else(|| "app".to_owned()),
        Language::Rust => {
            project.cargo.as_deref().and_then(cargo_binary).or(argv_program).unwrap_or_else(|| "app".to_owned())
        }
        _ => String::new(),
    };
    let jar = project.pom.as_deref().and_then(pom_jar);

    let workdir = st.workdir.clone().unwrap_or_else(|| "/app".to_owned());
    if st.workdir.is_none() {
        notes.push("the original set no WORKDIR; the rewrite works in `/app`".to_owned());
    }
    Ok(App {
        language,
        version,
        workdir,
        argv: st.argv,
        entrypoint_words: st.entrypoint_words,
        ports: st.ports,
        env: st.env,
        labels: st.labels,
        volumes: st.volumes,
        stop_signal: st.stop_signal,
        copies,
        deps,
        health_path: health_path(context),
        go_package,
        binary,
        jar,
        package_json: project.package_json.as_deref().and_then(|t| serde_json::from_str(t).ok()),
        dotnet: dotnet_project,
        notes,
    })
}

/// What the final stage (with the stages it is built FROM) sets.
#[derive(Debug, Default)]
struct Settings {
    workdir: Option<String>,
    argv: Vec<String>,
    entrypoint_words: usize,
    cmd: Option<Vec<String>>,
    entrypoint: Option<(Vec<String>, bool)>,
    /// The stage being read set CMD itself (BuildKit keeps it when ENTRYPOINT follows).
    cmd_in_stage: bool,
    ports: Vec<String>,
    env: Vec<(String, String)>,
    labels: Vec<(String, String)>,
    volumes: Vec<String>,
    stop_signal: Option<String>,
}

impl Settings {
    fn read(
        &mut self,
        df: &Dockerfile,
        model: &Model,
        index: usize,
        inst: &Instruction,
        notes: &mut Vec<String>,
    ) -> Result<(), NotPossible> {
        match (&inst.body, inst.keyword) {
            (Body::Text(t), Keyword::Workdir) => {
                let dir = model.expand(df, index, &t.value).value;
                self.workdir = Some(match &self.workdir {
                    Some(prev) if !dir.starts_with('/') => format!("{}/{dir}", prev.trim_end_matches('/')),
                    _ if !dir.starts_with('/') => format!("/{dir}"),
                    _ => dir,
                });
            }
            (Body::Text(t), Keyword::Stopsignal) => self.stop_signal = Some(t.value.clone()),
            (Body::Pairs(pairs), Keyword::Env) => {
                for kv in pairs {
                    let key = kv.key.value.clone();
                    let value = kv.value.as_ref().map(|v| v.value.clone()).unwrap_or_default();
                    if secrets::is_secret_key(&key) || !secrets::credentials(&value).is_empty() {
                        notes.push(format!(
                            "ENV `{key}` looks like a secret and is not carried over: pass it at run time (an orchestrator secret or `docker run -e`)"
                        ));
                        continue;
                    }
                    if matches!(key.as_str(), "DEBIAN_FRONTEND" | "PIP_NO_CACHE_DIR" | "NPM_CONFIG_LOGLEVEL") {
                        continue;
                    }
                    self.env.retain(|(k, _)| *k != key);
                    self.env.push((key, value));
                }
            }
            (Body::Pairs(pairs), Keyword::Label) => {
                for kv in pairs {
                    let value = kv.value.as_ref().map(|v| v.value.clone()).unwrap_or_default();
                    self.labels.push((kv.key.value.clone(), value));
                }
            }
            (Body::List { items, .. }, Keyword::Expose) => {
                for item in items {
                    let port = item.value.split('/').next().unwrap_or("").trim();
                    if port == "22" || port == "23" {
                        notes.push(format!(
                            "EXPOSE {} (a remote shell port) is dropped: the image runs no SSH or telnet server",
                            item.value
                        ));
                    } else if !self.ports.contains(&item.value) {
                        self.ports.push(item.value.clone());
                    }
                }
            }
            (Body::List { items, .. }, Keyword::Volume) => self.volumes.extend(items.iter().map(|i| i.value.clone())),
            (Body::Command(line), Keyword::Cmd) => {
                self.cmd = Some(self.command_words(line, "CMD")?);
                self.cmd_in_stage = true;
                self.combine();
            }
            (Body::Command(line), Keyword::Entrypoint) => {
                let words = self.command_words(line, "ENTRYPOINT")?;
                self.entrypoint = Some((words, line.is_exec()));
                // a new ENTRYPOINT resets a CMD inherited from a parent stage, as BuildKit does
                if !self.cmd_in_stage {
                    self.cmd = None;
                }
                self.combine();
            }
            _ => {}
        }
        Ok(())
    }

    fn combine(&mut self) {
        let (ep, ep_exec) = self.entrypoint.clone().unwrap_or_default();
        self.entrypoint_words = ep.len();
        self.argv = ep;
        if self.entrypoint.is_none() || ep_exec {
            self.argv.extend(self.cmd.clone().unwrap_or_default());
        }
    }

    /// The program and its arguments of a CMD or ENTRYPOINT; a shell wrapper (`sh -c "…"`) or a
    /// shell-form command is unwrapped when it is one simple command.
    fn command_words(&mut self, line: &CommandLine, keyword: &str) -> Result<Vec<String>, NotPossible> {
        match line {
            CommandLine::Exec { args, .. } => {
                let words: Vec<String> = args.iter().map(|a| a.value.clone()).collect();
                let is_shell = words.first().is_some_and(|w| matches!(basename(w), "sh" | "bash" | "ash" | "dash"));
                match (is_shell, words.get(1).map(String::as_str), words.get(2)) {
                    (true, Some("-c"), Some(script)) if words.len() == 3 => self.script_words(script, keyword),
                    _ => Ok(words),
                }
            }
            CommandLine::Shell { text, .. } => self.script_words(text, keyword),
        }
    }

    fn script_words(&mut self, text: &str, keyword: &str) -> Result<Vec<String>, NotPossible> {
        let complex = || {
            NotPossible::new(format!(
                "{keyword} `{}` is a shell script, not one program with its arguments: write it in exec form (`{keyword} [\"program\", \"arg\"]`) or move it into a script the image runs",
                text.trim()
            ))
        };
        let script = shell::parse(text, &OffsetMap::contiguous(0, text.len()));
        if script.recovered {
            return Err(complex());
        }
        let mut commands: Vec<&Command> = script.commands.iter().collect();
        // `cd /dir && program …` is a WORKDIR
        if commands.len() == 2
            && let Some(cd) = commands.first().filter(|c| c.is("cd"))
            && let [dir] = cd.args()
            && !dir.has_expansion
        {
            let dir = dir.value.clone();
            self.workdir = Some(if dir.starts_with('/') {
                dir
            } else {
                format!("{}/{dir}", self.workdir.as_deref().unwrap_or("").trim_end_matches('/'))
            });
            commands.remove(0);
        }
        let [cmd] = commands.as_slice() else { return Err(complex()) };
        if !cmd.redirects.is_empty() || !cmd.assignments.is_empty() || cmd.depth != 0 {
            return Err(complex());
        }
        let start = cmd.program_index().ok_or_else(complex)?;
        let words = cmd.words.get(start..).unwrap_or(&[]);
        if let Some(w) = words.iter().find(|w| w.has_expansion) {
            return Err(NotPossible::new(format!(
                "{keyword} `{}` expands `{}` through a shell; exec form cannot expand variables: write the value out or move the command into a script the image runs",
                text.trim(),
                w.value
            )));
        }
        Ok(words.iter().map(|w| w.value.clone()).collect())
    }
}

/// Records a COPY/ADD from the build context; copies from other stages and remote ADDs are noted.
fn read_copy(inst: &Instruction, copies: &mut Vec<CopyFiles>, notes: &mut Vec<String>) {
    let Body::Copy { sources, dest: Some(dest), .. } = &inst.body else { return };
    let written = |inst: &Instruction| format!("{} {}", inst.keyword.as_str(), inst.args_text.trim());
    if inst.flag("from").is_some() {
        notes.push(format!(
            "`{}` copies from another stage or image and is not carried over; the tier builds the program its own way",
            written(inst)
        ));
        return;
    }
    let sources: Vec<String> = sources.iter().map(|s| s.value.clone()).collect();
    if sources.iter().any(|s| s.contains("://")) {
        notes.push(format!(
            "`{}` downloads at build time and is not carried over: download it with a checksum (`ADD --checksum=sha256:…`) if the program needs it",
            written(inst)
        ));
        return;
    }
    if inst.keyword == Keyword::Add
        && sources.iter().any(|s| [".tar", ".tgz", ".tar.gz", ".tar.xz", ".tar.bz2"].iter().any(|e| s.ends_with(e)))
    {
        notes.push(format!(
            "`{}` unpacks an archive and is not carried over: add it back if the program needs it",
            written(inst)
        ));
        return;
    }
    let flags = inst
        .flags
        .iter()
        .filter(|f| !matches!(f.name.value.as_str(), "chown" | "from" | "checksum" | "keep-git-dir" | "unpack"))
        .map(|f| match &f.value {
            Some(v) => format!("--{}={}", f.name.value, v.value),
            None => format!("--{}", f.name.value),
        })
        .collect();
    copies.push(CopyFiles { flags, sources, dest: dest.value.clone() });
}

fn is_manifest(source: &str) -> bool {
    let name = source.trim_start_matches("./");
    // .NET project files are restored before the sources are copied, wherever they are
    MANIFESTS.contains(&name) || name.ends_with(".csproj") || name.ends_with(".fsproj")
}

/// Notes the RUN instructions the tier does not carry over (anything beyond installing and building).
fn note_dropped_runs(runs: &[(usize, &Instruction)], model: &Model, notes: &mut Vec<String>) {
    for (i, inst) in runs {
        let handled = model.commands(*i).iter().all(|c| {
            c.program().is_none_or(|p| HANDLED_PROGRAMS.contains(&p) || packages::is_pip(p) || packages::is_python(p))
        });
        if handled {
            continue;
        }
        let text: String = inst.args_text.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown =
            if text.chars().count() > 80 { format!("{}…", text.chars().take(79).collect::<String>()) } else { text };
        notes.push(format!("`RUN {shown}` is not carried over: add it back only if the program needs it"));
    }
}

/// Files of the build context the detection reads.
#[derive(Debug, Default)]
struct Project {
    requirements: Option<String>,
    pyproject: bool,
    package_json: Option<String>,
    package_lock: bool,
    yarn_lock: bool,
    go_mod: Option<String>,
    go_sum: bool,
    pom: Option<String>,
    gradle: bool,
    gradle_wrapper: bool,
    cargo: Option<String>,
    cargo_lock: bool,
    dotnet: Option<DotNet>,
}

impl Project {
    fn read(context: &Path) -> Self {
        let exists = |name: &str| context.join(name).is_file();
        Self {
            requirements: read_small(context, "requirements.txt"),
            pyproject: exists("pyproject.toml") || exists("setup.py"),
            package_json: read_small(context, "package.json"),
            package_lock: exists("package-lock.json") || exists("npm-shrinkwrap.json"),
            yarn_lock: exists("yarn.lock") || exists("pnpm-lock.yaml"),
            go_mod: read_small(context, "go.mod"),
            go_sum: exists("go.sum"),
            pom: read_small(context, "pom.xml"),
            gradle: exists("build.gradle") || exists("build.gradle.kts"),
            gradle_wrapper: exists("gradlew"),
            cargo: read_small(context, "Cargo.toml"),
            cargo_lock: exists("Cargo.lock"),
            dotnet: None,
        }
    }
}

/// A project file of at most 1 MiB, as text.
pub(crate) fn read_small(dir: &Path, name: &str) -> Option<String> {
    let path = dir.join(name);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 1024 * 1024 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

fn is_interpreter(program: &str) -> bool {
    packages::is_python(program) || matches!(program, "node" | "nodejs" | "npm" | "yarn" | "java" | "sh" | "bash")
}

const PYTHON_PROGRAMS: &[&str] =
    &["gunicorn", "uvicorn", "flask", "hypercorn", "waitress-serve", "celery", "daphne", "streamlit", "fastapi"];

fn language_of(images: &[&ImageRef], argv: &[String], runs: &[&Command], project: &Project) -> Option<Language> {
    for image in images {
        if dotnet::is_image(image) {
            return Some(Language::DotNet);
        }
        let lang = match image.name() {
            "python" | "pypy" => Language::Python,
            "node" => Language::Node,
            "golang" => Language::Go,
            "rust" => Language::Rust,
            "openjdk"
            | "eclipse-temurin"
            | "amazoncorretto"
            | "maven"
            | "gradle"
            | "sapmachine"
            | "ibm-semeru-runtimes" => Language::Java,
            _ => continue,
        };
        return Some(lang);
    }
    if let Some(p) = argv.first().map(|p| basename(p)) {
        if packages::is_python(p) || PYTHON_PROGRAMS.contains(&p) {
            return Some(Language::Python);
        }
        match p {
            "node" | "nodejs" | "npm" | "yarn" => return Some(Language::Node),
            "java" => return Some(Language::Java),
            "dotnet" => return Some(Language::DotNet),
            _ => {}
        }
    }
    for cmd in runs {
        match cmd.program() {
            Some(p) if packages::is_pip(p) || packages::is_python(p) => return Some(Language::Python),
            Some("npm" | "yarn" | "pnpm") => return Some(Language::Node),
            Some("go") => return Some(Language::Go),
            Some("cargo") => return Some(Language::Rust),
            Some("mvn" | "gradle") => return Some(Language::Java),
            Some("dotnet") => return Some(Language::DotNet),
            _ => {}
        }
    }
    if project.requirements.is_some() || project.pyproject {
        Some(Language::Python)
    } else if project.package_json.is_some() {
        Some(Language::Node)
    } else if project.go_mod.is_some() {
        Some(Language::Go)
    } else if project.cargo.is_some() {
        Some(Language::Rust)
    } else if project.pom.is_some() || project.gradle {
        Some(Language::Java)
    } else if project.dotnet.is_some() {
        Some(Language::DotNet)
    } else {
        None
    }
}

/// The runtime version a base image of `language` names, cut to the release cycle that matters
/// (`3.9.18` → `3.9`, `18.19` → `18`, `8u342` → `8`).
fn image_version(language: Language, image: &ImageRef) -> Option<String> {
    if language == Language::DotNet {
        return dotnet::image_version(image);
    }
    let tag = image.tag.as_deref()?.to_ascii_lowercase();
    let tokens: Vec<&str> = tag.split('-').collect();
    let version = match (language, image.name()) {
        (Language::Java, "maven" | "gradle") => tokens.iter().enumerate().find_map(|(i, t)| {
            for marker in ["openjdk", "temurin", "jdk", "corretto", "amazoncorretto", "sapmachine", "semeru", "java"] {
                if let Some(rest) = t.strip_prefix(marker) {
                    let v = if rest.is_empty() { tokens.get(i + 1).copied().unwrap_or("") } else { rest };
                    if v.starts_with(|c: char| c.is_ascii_digit()) {
                        return Some(v);
                    }
                }
            }
            None
        })?,
        (Language::Python, "python" | "pypy")
        | (Language::Node, "node")
        | (Language::Go, "golang")
        | (Language::Rust, "rust")
        | (Language::Java, "openjdk" | "eclipse-temurin" | "amazoncorretto" | "sapmachine" | "ibm-semeru-runtimes") => {
            tokens.first().copied()?
        }
        _ => return None,
    };
    let digits: String = version.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let parts: Vec<&str> = digits.split('.').filter(|p| !p.is_empty()).collect();
    let keep = match language {
        Language::Python | Language::Go | Language::Rust => 2,
        Language::Node | Language::Java | Language::DotNet => 1,
    };
    if parts.len() < keep {
        return None;
    }
    Some(parts.iter().take(keep).copied().collect::<Vec<_>>().join("."))
}

/// The Java release a pom compiles for.
fn pom_java_version(pom: &str) -> Option<String> {
    ["maven.compiler.release", "maven.compiler.target", "java.version", "maven.compiler.source", "release"]
        .iter()
        .find_map(|tag| xml_value(pom, tag))
        .map(|v| v.strip_prefix("1.").unwrap_or(&v).to_owned())
        .filter(|v| v.parse::<u32>().is_ok())
}

/// The jar a Maven build writes: `target/<finalName or artifactId-version>.jar`, when the pom says
/// it without properties.
fn pom_jar(pom: &str) -> Option<String> {
    let mut own = pom.to_owned();
    for section in ["parent", "dependencies", "dependencyManagement", "build", "profiles", "reporting"] {
        own = strip_element(&own, section);
    }
    let name = match xml_value(pom, "finalName") {
        Some(f) => f,
        None => format!("{}-{}", xml_value(&own, "artifactId")?, xml_value(&own, "version")?),
    };
    (!name.contains("${")).then(|| format!("target/{name}.jar"))
}

fn xml_value(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml.get(start..)?.find(&format!("</{tag}>"))?;
    Some(xml.get(start..start + end)?.trim().to_owned()).filter(|v| !v.is_empty())
}

fn strip_element(xml: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = xml.to_owned();
    while let Some(s) = out.find(&open) {
        let Some(e) = out.get(s..).and_then(|r| r.find(&close)) else { break };
        out.replace_range(s..s + e + close.len(), "");
    }
    out
}

/// The last element of the module path in go.mod (`example.com/go-http` → `go-http`).
fn go_module_name(go_mod: &str) -> Option<String> {
    let line = go_mod.lines().find_map(|l| l.trim().strip_prefix("module "))?;
    let path = line.trim().trim_matches('"');
    let last = path.rsplit('/').next()?;
    // `example.com/app/v2` → `app`
    let last = if last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit()) && last.len() > 1 {
        path.rsplit('/').nth(1)?
    } else {
        last
    };
    (!last.is_empty()).then(|| last.to_owned())
}

/// The `go build` package and `-o` output name of the original, if it ran `go build`.
fn go_build_target(runs: &[&Command]) -> (String, Option<String>) {
    const VALUE_FLAGS: &[&str] =
        &["-o", "-ldflags", "-gcflags", "-asmflags", "-tags", "-mod", "-p", "-buildmode", "-modfile", "-overlay"];
    for cmd in runs {
        if !cmd.is("go") || cmd.subcommand(&[]) != Some("build") {
            continue;
        }
        let output = cmd
            .flag_value(&["-o"])
            .map(|o| basename(o.trim_end_matches('/')).to_owned())
            .filter(|o| !o.is_empty() && !o.contains('$') && o != ".");
        let package = cmd
            .operands(VALUE_FLAGS)
            .skip(1)
            .map(|w| w.value.clone())
            .find(|w| !w.ends_with(".go") && !w.contains('$'))
            .unwrap_or_else(|| ".".to_owned());
        return (package, output);
    }
    (".".to_owned(), None)
}

/// The binary Cargo builds: the first `[[bin]]`, else the package.
fn cargo_binary(cargo: &str) -> Option<String> {
    let doc: toml::Table = cargo.parse().ok()?;
    let bin = doc
        .get("bin")
        .and_then(toml::Value::as_array)
        .and_then(|b| b.first())
        .and_then(|b| b.get("name"))
        .and_then(toml::Value::as_str);
    let package = doc.get("package").and_then(|p| p.get("name")).and_then(toml::Value::as_str);
    bin.or(package).map(str::to_owned)
}

/// How dependencies are installed, from the original's install commands and the project files.
fn deps_of(
    language: Language,
    runs: &[&Command],
    project: &Project,
    notes: &mut Vec<String>,
) -> Result<Deps, NotPossible> {
    Ok(match language {
        Language::Python => python_deps(runs, project, notes),
        // `dotnet restore` of the project file, in the build stage
        Language::DotNet => Deps::None,
        Language::Node => {
            if project.package_json.is_none() {
                return Ok(Deps::None);
            }
            if project.yarn_lock && !project.package_lock {
                notes.push("the project locks its dependencies with yarn or pnpm; the rewrite installs with npm, so commit a package-lock.json (or adapt the install step)".to_owned());
            } else if !project.package_lock {
                notes.push("no package-lock.json: dependency versions are not locked (`npm install` instead of `npm ci`); commit a lockfile".to_owned());
            }
            Deps::Npm { lockfile: project.package_lock }
        }
        Language::Go => {
            if project.go_mod.is_none() {
                return Err(NotPossible::new(
                    "the build context has no go.mod: the tiers build Go programs as modules (`go mod init` creates one)",
                ));
            }
            Deps::GoModules { sum: project.go_sum }
        }
        Language::Java => {
            if project.pom.is_some() {
                Deps::Maven
            } else if project.gradle {
                Deps::Gradle { wrapper: project.gradle_wrapper }
            } else {
                return Err(NotPossible::new(
                    "the build context has no pom.xml or build.gradle: the tiers build Java programs with Maven or Gradle",
                ));
            }
        }
        Language::Rust => {
            if project.cargo.is_none() {
                return Err(NotPossible::new("the build context has no Cargo.toml"));
            }
            if !project.cargo_lock {
                notes.push(
                    "no Cargo.lock: dependency versions are not locked; commit one and the build uses `--locked`"
                        .to_owned(),
                );
            }
            Deps::Cargo { lockfile: project.cargo_lock }
        }
    })
}

fn python_deps(runs: &[&Command], project: &Project, notes: &mut Vec<String>) -> Deps {
    let owned: Vec<Command> = runs.iter().map(|c| (*c).clone()).collect();
    let pip: Vec<_> = packages::installs(&owned).into_iter().filter(|i| i.manager == Manager::Pip).collect();
    let named: Vec<String> = pip
        .iter()
        .flat_map(|i| i.packages.iter().map(|w| w.value.clone()).collect::<Vec<_>>())
        .filter(|p| {
            // the requirement's name, without version specifiers, extras or markers
            let name = p.split(['<', '>', '=', '!', '~', ';', '[', ' ', '@']).next().unwrap_or(p);
            !matches!(name.trim().to_ascii_lowercase().as_str(), "pip" | "setuptools" | "wheel" | "." | "-e")
        })
        .collect();
    let file = pip.iter().find_map(|i| i.command.flag_value(&["-r", "--requirement"]).map(str::to_owned));
    let requirements = project.requirements.as_deref().map(requirement_lines).unwrap_or_default();
    if let Some(reqs) = &project.requirements {
        let unpinned: Vec<String> = requirement_lines(reqs)
            .into_iter()
            .filter(|(_, line)| !is_pinned_requirement(line))
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        if !unpinned.is_empty() {
            notes.push(format!(
                "requirements.txt leaves {} without a version pin: pin them (`pip freeze`, `pip-compile`) so builds are reproducible",
                unpinned.join(", ")
            ));
        }
    }
    match file {
        Some(f) if f.trim_start_matches("./") != "requirements.txt" => return Deps::Requirements(f),
        Some(_) if project.requirements.is_some() => return Deps::Requirements("requirements.txt".to_owned()),
        _ => {}
    }
    let covered = named.iter().all(|n| requirements.iter().any(|(r, _)| *r == requirement_name(n)));
    if project.requirements.is_some() && covered {
        if !named.is_empty() {
            notes.push("packages the original installed by name are installed from requirements.txt".to_owned());
        }
        return Deps::Requirements("requirements.txt".to_owned());
    }
    if !named.is_empty() {
        let pinned: Vec<String> = named
            .iter()
            .map(|n| {
                let name = requirement_name(n);
                requirements
                    .iter()
                    .find(|(r, line)| *r == name && is_pinned_requirement(line))
                    .map_or_else(|| n.clone(), |(_, line)| line.clone())
            })
            .collect();
        return Deps::PipPackages(pinned);
    }
    if project.pyproject {
        return Deps::PythonProject;
    }
    Deps::None
}

/// `(normalised name, line)` of each requirement in a requirements file.
fn requirement_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('-'))
        .map(|l| (requirement_name(l), l.to_owned()))
        .collect()
}

fn requirement_name(spec: &str) -> String {
    spec.split(['=', '<', '>', '!', '~', '[', ';', '@', ' '])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
        .replace('_', "-")
}

fn is_pinned_requirement(line: &str) -> bool {
    line.contains("==") || line.contains('@') || line.contains("--hash")
}

/// Paths a health endpoint is usually served at, most specific first.
const HEALTH_PATHS: &[&str] = &["/healthz", "/health", "/livez", "/readyz", "/ready", "/ping", "/status"];

/// The first health endpoint any source file of the build context mentions.
fn health_path(context: &Path) -> Option<String> {
    let mut files = Vec::new();
    collect_sources(context, 0, &mut files);
    files.sort();
    let texts: Vec<String> = files.iter().filter_map(|f| std::fs::read_to_string(f).ok()).collect();
    HEALTH_PATHS.iter().find(|p| texts.iter().any(|t| mentions_path(t, p))).map(|p| (*p).to_owned())
}

fn collect_sources(dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
    const EXTENSIONS: &[&str] = &["py", "js", "mjs", "cjs", "ts", "go", "rs", "java", "kt", "cs", "fs"];
    if depth > 6 || out.len() > 200 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    // in name order, so that which files the cap keeps does not depend on the filesystem
    let mut entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if !name.starts_with('.')
                && !matches!(name.as_str(), "node_modules" | "target" | "vendor" | "venv" | "build")
            {
                collect_sources(&entry.path(), depth + 1, out);
            }
        } else if kind.is_file()
            && EXTENSIONS.iter().any(|e| name.ends_with(&format!(".{e}")))
            && entry.metadata().is_ok_and(|m| m.len() < 256 * 1024)
        {
            out.push(entry.path());
        }
    }
}

/// Whether `text` mentions `path` as a whole route: after a quote or space, before a quote, space or `?`.
fn mentions_path(text: &str, path: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find(path) {
        let before = rest.get(..at).and_then(|b| b.chars().next_back());
        let after = rest.get(at + path.len()..).and_then(|a| a.chars().next());
        if before.is_some_and(|c| matches!(c, '"' | '\'' | '`' | ' '))
            && after.is_none_or(|c| matches!(c, '"' | '\'' | '`' | ' ' | '?'))
        {
            return true;
        }
        rest = rest.get(at + path.len()..).unwrap_or("");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_versions_are_cut_to_their_cycle() {
        let v = |lang, r: &str| ImageRef::parse(r).and_then(|r| image_version(lang, &r));
        assert_eq!(v(Language::Python, "python:3.9.18-slim").as_deref(), Some("3.9"));
        assert_eq!(v(Language::Node, "node:18.19-alpine").as_deref(), Some("18"));
        assert_eq!(v(Language::Go, "golang:1.21").as_deref(), Some("1.21"));
        assert_eq!(v(Language::Java, "openjdk:8u342-jre").as_deref(), Some("8"));
        assert_eq!(v(Language::Java, "maven:3.8-openjdk-17").as_deref(), Some("17"));
        assert_eq!(v(Language::Java, "maven:3.9-eclipse-temurin-21").as_deref(), Some("21"));
        assert_eq!(v(Language::Java, "gradle:8.5-jdk17").as_deref(), Some("17"));
        assert_eq!(v(Language::Python, "python:latest"), None);
        assert_eq!(v(Language::Python, "node:20"), None);
    }

    #[test]
    fn requirements_and_routes() {
        assert_eq!(requirement_name("Flask_Login[extra]==0.6"), "flask-login");
        assert!(is_pinned_requirement("flask==3.1.0") && !is_pinned_requirement("flask>=3"));
        assert!(mentions_path("@app.get(\"/health\")", "/health"));
        assert!(mentions_path("\"GET /health HTTP/1.1\"", "/health"));
        assert!(!mentions_path("\"/healthcheck\"", "/health"));
        assert!(!mentions_path("x/health", "/health"));
    }

    #[test]
    fn project_files() {
        assert_eq!(go_module_name("module example.com/go-http\n\ngo 1.22\n").as_deref(), Some("go-http"));
        assert_eq!(go_module_name("module github.com/a/tool/v2\n").as_deref(), Some("tool"));
        assert_eq!(cargo_binary("[package]\nname = \"svc\"\n").as_deref(), Some("svc"));
        assert_eq!(cargo_binary("[package]\nname = \"svc\"\n[[bin]]\nname = \"server\"\n").as_deref(), Some("server"));
        let pom = "<project><parent><artifactId>p</artifactId><version>9</version></parent><artifactId>app</artifactId><version>1.2</version><properties><maven.compiler.release>17</maven.compiler.release></properties></project>";
        assert_eq!(pom_jar(pom).as_deref(), Some("target/app-1.2.jar"));
        assert_eq!(pom_java_version(pom).as_deref(), Some("17"));
        assert_eq!(pom_jar("<project><artifactId>a</artifactId><version>${revision}</version></project>"), None);
    }
}
