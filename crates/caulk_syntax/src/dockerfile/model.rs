//! The semantic model of a Dockerfile: stages, their bases with ARGs resolved, the graph of
//! which stages feed the shipped one, and every RUN body parsed once as shell.

use std::collections::BTreeMap;

use caulk_core::TextRange;

use super::ast::{Body, CommandLine, Dockerfile, Instruction, Keyword};
use super::expand::{Expanded, expand_word};
use super::image_ref::ImageRef;
use crate::OffsetMap;
use crate::shell::{self, Command, Script, Word};

/// ARGs BuildKit defines before the first FROM without a declaration.
const BUILTIN_ARGS: &[(&str, &str)] = &[
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
];

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// `FROM <earlier stage>`.
    Stage(usize),
    Image(ImageRef),
    /// The reference uses ARGs with no value, or does not parse; `text` is the expanded text.
    Unresolved {
        text: String,
        unresolved: Vec<String>,
    },
}

/// One build stage.
#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    /// The `AS` name, lowercased as BuildKit compares it.
    pub name: Option<String>,
    /// Instruction index of the stage's FROM.
    pub from: usize,
    /// One past the last instruction index of the stage.
    pub end: usize,
    pub base: Base,
    /// The image text after expansion.
    pub base_text: String,
    /// Range of the image word in FROM.
    pub base_range: TextRange,
    /// Stages this one reads from: its FROM, `COPY --from`, `RUN --mount=from=`.
    pub deps: Vec<usize>,
    /// The stage is the final image, or one the final image is built `FROM`.
    pub shipped: bool,
    /// The stage contributes to the final image (shipped, or copied from by one that does).
    pub reachable: bool,
}

impl Stage {
    /// Instruction indices of the stage, FROM excluded.
    pub fn body(&self) -> std::ops::Range<usize> {
        self.from + 1..self.end
    }

    /// The resolved base image, following `FROM <stage>` chains.
    pub fn root_image<'a>(&'a self, stages: &'a [Stage]) -> &'a Base {
        let mut base = &self.base;
        let mut hops = 0;
        while let Base::Stage(i) = base {
            match stages.get(*i) {
                Some(s) if hops < stages.len() => base = &s.base,
                _ => break,
            }
            hops += 1;
        }
        base
    }
}

/// A Dockerfile with its stages resolved and its shell bodies parsed.
#[derive(Debug)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// ARGs declared before the first FROM, with their defaults.
    pub global_args: BTreeMap<String, Option<String>>,
    /// The stage that is built: `--target`, else the last one.
    pub final_stage: Option<usize>,
    /// The `--target` that named no stage, if any.
    pub missing_target: Option<String>,
    /// Parsed shell per instruction index (RUN shell/exec form and heredocs, shell-form CMD,
    /// ENTRYPOINT and HEALTHCHECK CMD); for ONBUILD, the trigger's script.
    scripts: Vec<Option<Script>>,
    /// Stage index of every instruction (`None` before the first FROM).
    stage_of: Vec<Option<usize>>,
}

impl Model {
    /// Builds the model; `target` selects the built stage like `docker build --target`.
    pub fn new(df: &Dockerfile, target: Option<&str>) -> Self {
        let mut global_args: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut stages: Vec<Stage> = Vec::new();
        let mut stage_of = Vec::with_capacity(df.instructions.len());
        for (i, inst) in df.instructions.iter().enumerate() {
            match (&inst.body, stages.is_empty()) {
                (Body::Pairs(pairs), true) if inst.keyword == Keyword::Arg => {
                    for kv in pairs {
                        let lookup = |n: &str| lookup_global(&global_args, n);
                        let v = kv.value.as_ref().map(|v| expand_word(&v.value, df.escape, &lookup).value);
                        global_args.insert(kv.key.value.clone(), v);
                    }
                }
                (Body::From { image, alias }, _) => {
                    if let Some(last) = stages.last_mut() {
                        last.end = i;
                    }
                    let lookup = |n: &str| lookup_global(&global_args, n);
                    let expanded = expand_word(&image.value, df.escape, &lookup);
                    let index = stages.len();
                    let base = resolve_base(&expanded, &stages);
                    let deps = match base {
                        Base::Stage(s) => vec![s],
                        _ => Vec::new(),
                    };
                    stages.push(Stage {
                        index,
                        name: alias.as_ref().map(|a| a.value.to_ascii_lowercase()),
                        from: i,
                        end: df.instructions.len(),
                        base,
                        base_text: expanded.value,
                        base_range: image.range,
                        deps,
                        shipped: false,
                        reachable: false,
                    });
                }
                _ => {}
            }
            stage_of.push(stages.len().checked_sub(1));
        }
        // dependencies through COPY --from and RUN --mount=from=
        for s in 0..stages.len() {
            let Some(stage) = stages.get(s) else { continue };
            let mut deps = stage.deps.clone();
            for inst in df.instructions.get(stage.body()).unwrap_or(&[]) {
                let inst = inst.onbuild_inner().unwrap_or(inst);
                let mut refs: Vec<String> =
                    inst.flags_named("from").filter_map(|f| f.value.as_ref().map(|v| v.value.clone())).collect();
                for m in inst.flags_named("mount") {
                    refs.extend(m.options().into_iter().filter(|(k, _)| k == "from").map(|(_, v)| v));
                }
                for r in refs {
                    if let Some(d) = stage_by_ref(&stages[..s], &r)
                        && !deps.contains(&d)
                    {
                        deps.push(d);
                    }
                }
            }
            if let Some(stage) = stages.get_mut(s) {
                stage.deps = deps;
            }
        }
        let (final_stage, missing_target) = match target {
            Some(t) => match stages.iter().position(|s| s.name.as_deref() == Some(&t.to_ascii_lowercase())) {
                Some(i) => (Some(i), None),
                None => (stages.len().checked_sub(1), Some(t.to_owned())),
            },
            None => (stages.len().checked_sub(1), None),
        };
        if let Some(f) = final_stage {
            // shipped: the final stage and its FROM ancestors
            let mut cur = Some(f);
            let mut hops = 0;
            while let Some(c) = cur {
                let Some(stage) = stages.get_mut(c) else { break };
                stage.shipped = true;
                cur = match stage.base {
                    Base::Stage(p) if hops < 64 => Some(p),
                    _ => None,
                };
                hops += 1;
            }
            // reachable: everything the final stage depends on
            let mut todo = vec![f];
            while let Some(c) = todo.pop() {
                let Some(stage) = stages.get_mut(c) else { continue };
                if stage.reachable {
                    continue;
                }
                stage.reachable = true;
                todo.extend(stage.deps.iter().copied());
            }
        }
        let scripts = scripts_of(df, &stages, &stage_of);
        Self { stages, global_args, final_stage, missing_target, scripts, stage_of }
    }

    /// The parsed shell of instruction `index`, if it has any.
    pub fn script(&self, index: usize) -> Option<&Script> {
        self.scripts.get(index).and_then(Option::as_ref)
    }

    /// Every command of instruction `index`'s shell (empty if none).
    pub fn commands(&self, index: usize) -> &[Command] {
        self.script(index).map_or(&[], |s| s.commands.as_slice())
    }

    /// The stage instruction `index` belongs to.
    pub fn stage_of(&self, index: usize) -> Option<&Stage> {
        self.stage_of.get(index).copied().flatten().and_then(|s| self.stages.get(s))
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.final_stage.and_then(|i| self.stages.get(i))
    }

    /// Variables (ARG and ENV) visible just before instruction `index`, as BuildKit scopes them:
    /// inherited ENV from parent stages, global ARGs only once re-declared in the stage.
    pub fn vars_before(&self, df: &Dockerfile, index: usize) -> BTreeMap<String, String> {
        let mut vars = BTreeMap::new();
        let Some(stage) = self.stage_of(index) else {
            return self.global_args.iter().map(|(k, v)| (k.clone(), v.clone().unwrap_or_default())).collect();
        };
        let mut chain = vec![stage];
        let mut cur = stage;
        while let Base::Stage(p) = cur.base {
            match self.stages.get(p) {
                Some(s) if chain.len() < 64 => {
                    chain.push(s);
                    cur = s;
                }
                _ => break,
            }
        }
        for (n, s) in chain.iter().rev().enumerate() {
            let last = n + 1 == chain.len();
            let end = if last { index } else { s.end };
            for inst in df.instructions.get(s.from + 1..end).unwrap_or(&[]) {
                let Body::Pairs(pairs) = &inst.body else { continue };
                for kv in pairs {
                    let lookup = |name: &str| vars.get(name).cloned();
                    match inst.keyword {
                        Keyword::Env => {
                            let v = kv
                                .value
                                .as_ref()
                                .map(|v| expand_word(&v.value, df.escape, &lookup).value)
                                .unwrap_or_default();
                            vars.insert(kv.key.value.clone(), v);
                        }
                        // ARGs are scoped to their stage: a child stage does not inherit them
                        Keyword::Arg if last => {
                            let v = match &kv.value {
                                Some(v) => Some(expand_word(&v.value, df.escape, &lookup).value),
                                None => self.global_args.get(&kv.key.value).cloned().flatten(),
                            };
                            if let Some(v) = v {
                                vars.entry(kv.key.value.clone()).or_insert(v);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        vars
    }

    /// Expands `word` with the variables visible before instruction `index`.
    pub fn expand(&self, df: &Dockerfile, index: usize, word: &str) -> Expanded {
        let vars = self.vars_before(df, index);
        expand_word(word, df.escape, &|n: &str| vars.get(n).cloned())
    }
}

fn lookup_global(args: &BTreeMap<String, Option<String>>, name: &str) -> Option<String> {
    match args.get(name) {
        Some(v) => v.clone(),
        None => BUILTIN_ARGS.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned()),
    }
}

fn resolve_base(expanded: &Expanded, earlier: &[Stage]) -> Base {
    if !expanded.is_resolved() {
        return Base::Unresolved { text: expanded.value.clone(), unresolved: expanded.unresolved.clone() };
    }
    let text = expanded.value.trim();
    let lower = text.to_ascii_lowercase();
    if let Some(i) = earlier.iter().rposition(|s| s.name.as_deref() == Some(lower.as_str())) {
        return Base::Stage(i);
    }
    if lower == "scratch" {
        return Base::Scratch;
    }
    match ImageRef::parse(text) {
        Some(r) => Base::Image(r),
        None => Base::Unresolved { text: text.to_owned(), unresolved: Vec::new() },
    }
}

/// `--from=<name|index>` to a stage index, if it names an earlier stage.
fn stage_by_ref(earlier: &[Stage], r: &str) -> Option<usize> {
    let lower = r.to_ascii_lowercase();
    if let Some(i) = earlier.iter().rposition(|s| s.name.as_deref() == Some(lower.as_str())) {
        return Some(i);
    }
    r.parse::<usize>().ok().filter(|i| *i < earlier.len())
}

/// Parses the shell of every instruction, skipping stages whose `SHELL` is not a POSIX shell
/// (PowerShell, `cmd`): their RUN lines are not shell scripts and parsing them would only
/// produce noise. The SHELL of a stage is inherited by stages built `FROM` it.
fn scripts_of(df: &Dockerfile, stages: &[Stage], stage_of: &[Option<usize>]) -> Vec<Option<Script>> {
    let mut posix: Vec<bool> = Vec::with_capacity(stages.len());
    let mut out = Vec::with_capacity(df.instructions.len());
    for (i, inst) in df.instructions.iter().enumerate() {
        let stage = stage_of.get(i).copied().flatten();
        if inst.keyword == Keyword::From
            && let Some(s) = stage
        {
            // Windows images run RUN with `cmd /S /C` unless SHELL says otherwise
            let inherited = match stages.get(s).map(|st| &st.base) {
                Some(Base::Stage(p)) => posix.get(*p).copied().unwrap_or(true),
                Some(Base::Image(r)) => !is_windows_image(r),
                _ => true,
            };
            posix.push(inherited);
        }
        if inst.keyword == Keyword::Shell
            && let (Body::List { items, .. }, Some(s)) = (&inst.body, stage)
            && let Some(flag) = posix.get_mut(s)
        {
            *flag = items.first().is_none_or(|p| is_posix_shell(&p.value));
        }
        let is_posix = stage.and_then(|s| posix.get(s).copied()).unwrap_or(true);
        out.push(if is_posix { script_of(inst.onbuild_inner().unwrap_or(inst)) } else { None });
    }
    out
}

/// Windows base images (`mcr.microsoft.com/windows/servercore`, `…/nanoserver`, `*:ltsc2022` tags).
fn is_windows_image(r: &ImageRef) -> bool {
    let path = r.path.as_str();
    path.starts_with("windows/")
        || path.contains("servercore")
        || path.contains("nanoserver")
        || path == "windows"
        || r.tag.as_deref().is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("windowsservercore") || t.contains("nanoserver") || t.starts_with("ltsc20")
        })
}

/// Whether a SHELL program is a POSIX shell (not PowerShell or `cmd`).
fn is_posix_shell(program: &str) -> bool {
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program).to_ascii_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    !matches!(name, "powershell" | "pwsh" | "cmd")
}

/// Shells whose `-c` string or heredoc stdin is itself a script.
pub(crate) fn is_shell(program: &str) -> bool {
    matches!(shell::basename(program), "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "busybox")
}

fn script_of(inst: &Instruction) -> Option<Script> {
    let line = match (&inst.body, inst.keyword) {
        (Body::Command(c), Keyword::Run | Keyword::Cmd | Keyword::Entrypoint) => c,
        (Body::Healthcheck(Some(c)), _) => c,
        _ => return None,
    };
    match line {
        CommandLine::Exec { args, .. } => Some(exec_script(args)),
        CommandLine::Shell { text, map, .. } => {
            if inst.heredocs.is_empty() {
                return Some(shell::parse(text, map));
            }
            Some(heredoc_script(inst, text, map))
        }
    }
}

/// Exec form: one command whose words are the JSON elements; a `sh -c "…"` string is parsed too.
fn exec_script(args: &[super::ast::Spanned<String>]) -> Script {
    let words: Vec<Word> = args
        .iter()
        .map(|a| Word { value: a.value.clone(), range: a.range, has_expansion: a.value.contains('$') })
        .collect();
    let range =
        words.first().map_or(TextRange::default(), |f| f.range.cover(words.last().map_or(f.range, |l| l.range)));
    let mut script = Script {
        commands: vec![Command {
            assignments: Vec::new(),
            words: words.clone(),
            redirects: Vec::new(),
            range,
            pipeline: 0,
            pipeline_index: 0,
            depth: 0,
        }],
        ..Script::default()
    };
    if let Some(first) = words.first()
        && is_shell(&first.value)
        && let Some(c) =
            words.iter().position(|w| w.value.starts_with('-') && !w.value.starts_with("--") && w.value.contains('c'))
        && let Some(body) = words.get(c + 1)
    {
        // the JSON string's inner text starts one byte after its opening quote
        let map = OffsetMap::contiguous(body.range.start + 1, body.value.len());
        let mut inner = shell::parse(&body.value, &map);
        for cmd in &mut inner.commands {
            cmd.depth += 1;
            cmd.pipeline += 1;
            for w in cmd.words.iter_mut().chain(cmd.assignments.iter_mut()) {
                w.range = clamp(w.range, body.range);
            }
            cmd.range = clamp(cmd.range, body.range);
        }
        script.commands.extend(inner.commands);
        script.notes.extend(inner.notes);
        script.recovered |= inner.recovered;
    }
    script
}

/// Keeps a range computed through an approximate map inside the word it came from.
fn clamp(r: TextRange, within: TextRange) -> TextRange {
    let start = r.start.clamp(within.start, within.end);
    TextRange::new(start, r.end.clamp(start, within.end))
}

/// RUN with heredocs: when the heredoc is the whole command it is the script (unless its shebang
/// names another interpreter); otherwise the command line is parsed with the heredoc as its
/// stdin, and a shell reading a heredoc gets the body parsed as a script too.
fn heredoc_script(inst: &Instruction, text: &str, map: &OffsetMap) -> Script {
    let only_heredocs =
        text.split_whitespace().all(|w| w.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with("<<"));
    let mut script = Script::default();
    if only_heredocs {
        for h in &inst.heredocs {
            let first = h.body.lines().next().unwrap_or("");
            if let Some(interp) = first.strip_prefix("#!")
                && !interp.split_whitespace().next().is_some_and(|p| {
                    is_shell(p) || (p.ends_with("/env") && interp.split_whitespace().nth(1).is_some_and(is_shell))
                })
            {
                continue;
            }
            append(&mut script, shell::parse(&h.body, &h.body_map));
        }
        return script;
    }
    // the bodies are not in `text`: blank the `<<EOF` words (keeping offsets) so the command line
    // parses on its own, then parse the bodies a shell reads as scripts of their own
    append(&mut script, shell::parse(&blank_heredoc_markers(text), map));
    let feeds_shell = script
        .commands
        .iter()
        .any(|c| c.depth == 0 && c.program().is_some_and(is_shell) && !c.args().iter().any(|a| a.value == "-c"));
    if feeds_shell {
        for h in &inst.heredocs {
            append(&mut script, shell::parse(&h.body, &h.body_map));
        }
    }
    script
}

/// Replaces every `<<WORD` / `<<-WORD` word with spaces of the same length.
fn blank_heredoc_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<<") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let word_start = before.is_empty() || before.ends_with(|c: char| c.is_whitespace() || c.is_ascii_digit());
        let after = from.get(2..).unwrap_or("");
        if !word_start || after.starts_with('<') {
            out.push_str("<<");
            rest = after;
            continue;
        }
        let len =
            2 + after.find(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | ')')).unwrap_or(after.len());
        out.extend(std::iter::repeat_n(' ', len));
        rest = from.get(len..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn append(script: &mut Script, mut more: Script) {
    let base = script.commands.iter().map(|c| c.pipeline + 1).max().unwrap_or(0);
    for c in &mut more.commands {
        c.pipeline += base;
    }
    script.commands.append(&mut more.commands);
    script.notes.append(&mut more.notes);
    script.recovered |= more.recovered;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parse;

    fn model(text: &str) -> (Dockerfile, Model) {
        let df = parse(text).ast;
        let m = Model::new(&df, None);
        (df, m)
    }

    #[test]
    fn stages_graph_and_shipping() {
        let (_, m) = model(
            "ARG BASE=python:3.12-slim\nFROM golang:1.23 AS build\nRUN go build\nFROM alpine:3.22 AS unused\nFROM build AS test\nFROM $BASE\nCOPY --from=build /x /x\nRUN --mount=from=test,target=/t true\n",
        );
        assert_eq!(m.stages.len(), 4);
        let names: Vec<_> = m.stages.iter().map(|s| (s.name.as_deref(), s.shipped, s.reachable)).collect();
        assert_eq!(
            names,
            [
                (Some("build"), false, true),
                (Some("unused"), false, false),
                (Some("test"), false, true),
                (None, true, true)
            ]
        );
        assert!(
            matches!(&m.stages[3].base, Base::Image(r) if r.path == "python" && r.tag.as_deref() == Some("3.12-slim"))
        );
        assert_eq!(m.stages[2].base, Base::Stage(0));
        assert_eq!(m.stages[3].deps, [0, 2]);
    }

    #[test]
    fn target_selects_the_final_stage() {
        let df = parse("FROM a AS one\nFROM one AS two\nFROM c\n").ast;
        let m = Model::new(&df, Some("TWO"));
        assert_eq!(m.final_stage, Some(1));
        assert!(m.stages[0].shipped && m.stages[1].shipped && !m.stages[2].shipped);
        assert_eq!(Model::new(&df, Some("nope")).missing_target.as_deref(), Some("nope"));
    }

    #[test]
    fn arg_scoping_follows_buildkit() {
        let (df, m) =
            model("ARG V=1\nFROM x:$V\nRUN echo $V\nARG V\nENV E=${V}-e\nRUN echo\nFROM x:$V AS two\nRUN echo\n");
        assert!(matches!(&m.stages[0].base, Base::Image(r) if r.tag.as_deref() == Some("1")));
        // before re-declaration the global ARG is not visible in the stage
        assert_eq!(m.vars_before(&df, 2).get("V"), None);
        let vars = m.vars_before(&df, 5);
        assert_eq!(vars.get("V").map(String::as_str), Some("1"));
        assert_eq!(vars.get("E").map(String::as_str), Some("1-e"));
        assert_eq!(m.vars_before(&df, 7).get("E"), None, "ENV does not leak into an unrelated stage");
        let (_, m) = model("FROM node:${NODE}\n");
        assert!(matches!(&m.stages[0].base, Base::Unresolved { unresolved, .. } if unresolved == &["NODE"]));
    }

    #[test]
    fn run_bodies_are_parsed_once_in_every_form() {
        let (_, m) = model(
            "FROM a\nRUN apt-get install -y curl && sh -c 'pip install x'\nRUN [\"sh\", \"-c\", \"apk add git\"]\nRUN <<EOF\nnpm i -g y\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\n",
        );
        let programs =
            |i: usize| m.commands(i).iter().filter_map(|c| c.program().map(str::to_owned)).collect::<Vec<_>>();
        assert_eq!(programs(1), ["apt-get", "sh", "pip"]);
        assert_eq!(programs(2), ["sh", "apk"]);
        assert_eq!(programs(3), ["npm"]);
        assert_eq!(programs(4), ["python3"], "a heredoc fed to python is not shell");
        let (_, m) = model("FROM a\nRUN <<EOT bash\n    set -ex\n    apt-get install -y git\nEOT\n");
        let s = m.script(1).unwrap_or_else(|| panic!("no script"));
        assert!(!s.recovered, "{:?}", s.notes);
        assert_eq!(s.commands.iter().filter_map(|c| c.program()).collect::<Vec<_>>(), ["bash", "set", "apt-get"]);
    }

    #[test]
    fn powershell_stages_are_not_parsed_as_posix_shell() {
        let (_, m) = model(
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\nSHELL [\"powershell\", \"-Command\"]\nRUN Write-Host ('x'); if ((Get-Item x).Length -ne 1) { exit 1 }\nFROM win\nRUN Write-Host 'inherited'\nFROM alpine:3.22\nRUN apk add curl\n",
        );
        assert!(m.script(2).is_none());
        assert!(m.script(4).is_none(), "SHELL is inherited through FROM <stage>");
        assert_eq!(m.commands(6).len(), 1);
        let (_, m) = model("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN if exist C:\\x (echo x)\n");
        assert!(m.script(1).is_none(), "cmd is the default shell on Windows images");
    }
}
