//! DF606: COPY --from names no earlier stage; also the `--from` resolution DF607 shares.

use caulk_core::TextRange;
use caulk_syntax::dockerfile::{Instruction, Keyword};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

/// Names people give build stages; as a bare `--from` that names no stage they are almost surely
/// a typo or a stage renamed, not a Docker Hub image.
const STAGE_LIKE: &[&str] = &[
    "assets",
    "backend",
    "base",
    "build",
    "build-env",
    "builder",
    "building",
    "compile",
    "compiler",
    "deps",
    "dependencies",
    "dev",
    "development",
    "dist",
    "downloader",
    "final",
    "frontend",
    "install",
    "installer",
    "prod",
    "prod-deps",
    "production",
    "release",
    "runner",
    "runtime",
    "source",
    "sources",
    "stage",
    "test",
    "tests",
    "tools",
    "vendor",
];

/// Docker Hub official images often copied from by bare name (`COPY --from=busybox …`): never
/// reported as typos of a stage name.
const OFFICIAL_IMAGES: &[&str] = &[
    "almalinux",
    "alpine",
    "amazonlinux",
    "archlinux",
    "bash",
    "buildpack-deps",
    "busybox",
    "caddy",
    "centos",
    "composer",
    "debian",
    "docker",
    "eclipse-temurin",
    "elixir",
    "erlang",
    "fedora",
    "gcc",
    "golang",
    "gradle",
    "haproxy",
    "haskell",
    "httpd",
    "julia",
    "mariadb",
    "maven",
    "mongo",
    "mysql",
    "nginx",
    "node",
    "openjdk",
    "oraclelinux",
    "perl",
    "php",
    "postgres",
    "python",
    "redis",
    "rockylinux",
    "ruby",
    "rust",
    "swift",
    "tomcat",
    "traefik",
    "ubuntu",
];

declare_rule! {
    /// ## What it does
    /// Checks `COPY --from=<stage>` for references that name no stage defined before the
    /// instruction: a name or index of no stage at all, or a stage defined further down.
    ///
    /// ## Why is this bad?
    /// BuildKit resolves a `--from` value that is not a stage name as an image reference:
    /// `COPY --from=biulder /app /app` tries to pull `docker.io/library/biulder:latest`, and the
    /// build fails with a confusing "pull access denied" (or, worse, copies from an image that
    /// happens to exist). An index beyond the last stage is an error, and referring to a stage
    /// defined later works only with BuildKit, not with the classic builder or other tools,
    /// and makes the file hard to follow.
    ///
    /// Values that look like image references (`nginx:1.27`, `ghcr.io/org/tool`) are not
    /// reported. A bare word is reported only when it is close to an existing stage name or is
    /// a conventional stage name (`builder`, `build`, `deps`, …): other bare words may be Docker
    /// Hub images (`--from=busybox`) or named build contexts (`--build-context name=…`).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=builder /out/app /app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /out/app /app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3022
    /// - [Dockerfile reference: COPY --from](https://docs.docker.com/reference/dockerfile/#copy---from)
    /// - [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    pub(crate) struct CopyFromUnknownStage {
        code: "DF606",
        name: "copy-from-unknown-stage",
        summary: "COPY --from names no earlier stage",
        severity: Medium,
        fix: None,
        aliases: ["DL3022"],
    }
}

/// What a `COPY --from` value refers to, seen from the stage of the instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FromRef {
    /// A stage defined before the instruction's stage.
    Earlier(usize),
    /// The instruction's own stage.
    Own,
    /// A stage defined after the instruction's stage.
    Later(usize),
    /// A numeric index past the last stage.
    NoSuchIndex(usize),
    /// A bare name that is no stage.
    UnknownName,
    /// An image reference (`a/b`, `a:tag`, `registry.io/x`), or a value with unresolved variables.
    Other,
}

/// A `COPY --from` value: the expanded text and the range of the flag.
pub(crate) struct FromFlag {
    pub value: String,
    pub range: TextRange,
    pub target: FromRef,
}

/// Resolves the `--from` flag of COPY instruction `index`, like BuildKit: a stage name
/// (case-insensitive), a stage index, else an image reference.
pub(crate) fn copy_from(cx: &Checker<'_>, index: usize, inst: &Instruction) -> Option<FromFlag> {
    if inst.keyword != Keyword::Copy {
        return None;
    }
    let flag = inst.flag("from")?;
    let raw = flag.value.as_ref()?;
    let stage = cx.stage_of(index)?;
    let expanded = cx.model.expand(cx.df, index, &raw.value);
    let value = expanded.value.trim().to_owned();
    let target = if !expanded.is_resolved() || value.is_empty() || value.contains(['/', ':', '.', '@']) {
        FromRef::Other
    } else if let Ok(n) = value.parse::<usize>() {
        match n {
            n if n == stage.index => FromRef::Own,
            n if n < stage.index => FromRef::Earlier(n),
            n if n < cx.model.stages.len() => FromRef::Later(n),
            n => FromRef::NoSuchIndex(n),
        }
    } else {
        let lower = value.to_ascii_lowercase();
        let earlier = cx
            .model
            .stages
            .get(..stage.index)
            .and_then(|s| s.iter().rposition(|s| s.name.as_deref() == Some(lower.as_str())));
        if stage.name.as_deref() == Some(lower.as_str()) {
            FromRef::Own
        } else if let Some(e) = earlier {
            FromRef::Earlier(e)
        } else if let Some(l) =
            cx.model.stages.iter().position(|s| s.index > stage.index && s.name.as_deref() == Some(lower.as_str()))
        {
            FromRef::Later(l)
        } else {
            FromRef::UnknownName
        }
    };
    Some(FromFlag { value, range: flag.range, target })
}

impl DockerfileRule for CopyFromUnknownStage {
    fn check(&self, cx: &mut Checker<'_>) {
        // ONBUILD triggers refer to the stages of the child build: not checked
        for (i, inst) in cx.df.instructions.iter().enumerate() {
            let Some(from) = copy_from(cx, i, inst) else { continue };
            let v = &from.value;
            match from.target {
                FromRef::Later(n) => {
                    cx.report(
                        from.range,
                        format!("`--from={v}` refers to stage {n}, which is defined after this instruction"),
                    )
                    .set_help(
                        "move the stage above the one that copies from it; only BuildKit accepts forward references",
                    );
                }
                FromRef::NoSuchIndex(n) => {
                    let count = cx.model.stages.len();
                    cx.report(from.range, format!("`--from={v}` refers to stage index {n}, but the file has {count} stage(s) (numbered from 0)"))
                        .set_help("use the name of an earlier stage (`FROM … AS name`) instead of an index");
                }
                FromRef::UnknownName => {
                    let names: Vec<&str> = cx
                        .model
                        .stages
                        .iter()
                        .take(cx.stage_of(i).map_or(0, |s| s.index))
                        .filter_map(|s| s.name.as_deref())
                        .collect();
                    let lower = v.to_ascii_lowercase();
                    if OFFICIAL_IMAGES.contains(&lower.as_str()) {
                        continue;
                    }
                    let close = names
                        .iter()
                        .copied()
                        .find(|n| n.len() >= 3 && edit_distance(n, &lower) <= if n.len() < 5 { 1 } else { 2 });
                    if close.is_none() && !STAGE_LIKE.contains(&lower.as_str()) {
                        continue; // perhaps a Docker Hub image or a named build context
                    }
                    let help = match close {
                        Some(n) => format!("did you mean `--from={n}`?"),
                        None if names.is_empty() => "name the stage (`FROM <image> AS name`); if this is a named build context, ignore this finding".to_owned(),
                        None => format!("earlier stages are: {}; if this is a named build context, ignore this finding", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
                    };
                    cx.report(
                        from.range,
                        format!("`--from={v}` names no stage: BuildKit will try to pull an image called `{v}`"),
                    )
                    .set_help(help);
                }
                FromRef::Earlier(_) | FromRef::Own | FromRef::Other => {}
            }
        }
    }
}

/// Levenshtein distance over bytes (stage names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{CopyFromUnknownStage, edit_distance};

    #[test]
    fn fires_on_typo_and_conventional_names() {
        let d = assert_fires(
            &CopyFromUnknownStage,
            "FROM golang:1.23 AS build\nFROM alpine\nCOPY --from=biuld /out /out\n",
        );
        assert!(d[0].message.contains("`--from=biuld`"), "{}", d[0].message);
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("`--from=build`")));
        let d = assert_fires(
            &CopyFromUnknownStage,
            "FROM golang:1.23 AS build\nFROM alpine\nCOPY --from=builder /out /out\n",
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn fires_on_later_stage_and_missing_index() {
        let d = assert_fires(&CopyFromUnknownStage, "FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\n");
        assert!(d[0].message.contains("defined after"), "{}", d[0].message);
        let d = assert_fires(&CopyFromUnknownStage, "FROM alpine AS a\nFROM alpine\nCOPY --from=5 /x /x\n");
        assert!(d[0].message.contains("index 5"), "{}", d[0].message);
        assert_fires(&CopyFromUnknownStage, "FROM alpine\nCOPY --from=1 /x /x\nFROM alpine\n");
    }

    #[test]
    fn passes_on_stages_images_contexts_and_variables() {
        assert_passes(
            &CopyFromUnknownStage,
            "FROM golang:1.23 AS Build\nFROM alpine\nCOPY --from=build /o /o\nCOPY --from=0 /o /o\n",
        );
        assert_passes(
            &CopyFromUnknownStage,
            "FROM alpine\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=ghcr.io/x/y /a /a\n",
        );
        assert_passes(
            &CopyFromUnknownStage,
            "FROM alpine\nCOPY --from=busybox /bin/busybox /bin/\nCOPY --from=mylib /src /src\n",
        );
        assert_passes(&CopyFromUnknownStage, "FROM alpine\nCOPY --from=$STAGE /a /a\n");
        assert_passes(
            &CopyFromUnknownStage,
            "FROM alpine AS a\nARG S=a\nFROM alpine\nONBUILD COPY --from=builder /a /a\n",
        );
        // own stage is DF607's
        assert_passes(&CopyFromUnknownStage, "FROM alpine AS a\nCOPY --from=a /a /b\n");
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("build", "biuld"), 2);
        assert_eq!(edit_distance("build", "builder"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
