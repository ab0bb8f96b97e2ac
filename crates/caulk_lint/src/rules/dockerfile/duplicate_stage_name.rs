//! DF608: two stages with the same name.

use std::collections::BTreeMap;

use caulk_syntax::dockerfile::Body;

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks for two `FROM … AS <name>` with the same name (names compare case-insensitively).
    ///
    /// ## Why is this bad?
    /// BuildKit refuses the file ("duplicate stage name"). Tools that accept it resolve
    /// `COPY --from=<name>` and `--target <name>` to one of the two stages, so which stage is
    /// copied from or built depends on the tool.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm ci && npm run build
    ///
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/api ./cmd/api
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22 AS web-build
    /// RUN npm ci && npm run build
    ///
    /// FROM golang:1.23 AS api-build
    /// RUN go build -o /out/api ./cmd/api
    /// ```
    ///
    /// ## References
    /// - hadolint DL3024, Trivy AVD-DS-0012, Checkov CKV_DOCKER_11
    /// - [Multi-stage builds: name your build stages](https://docs.docker.com/build/building/multi-stage/#name-your-build-stages)
    pub(crate) struct DuplicateStageName {
        code: "DF608",
        name: "duplicate-stage-name",
        summary: "two stages with the same name",
        severity: High,
        fix: None,
        aliases: ["DL3024", "AVD-DS-0012", "CKV_DOCKER_11"],
    }
}

impl DockerfileRule for DuplicateStageName {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for stage in &cx.model.stages {
            let Some(name) = &stage.name else { continue };
            let Some(Body::From { alias: Some(alias), .. }) = cx.df.instructions.get(stage.from).map(|i| &i.body)
            else {
                continue;
            };
            match seen.get(name) {
                Some(&first) => {
                    let line = line_of(cx, first);
                    cx.report(
                        alias.range,
                        format!("stage name `{}` is already used by the stage on line {line}", alias.value),
                    )
                    .set_help(
                        "give every stage a unique name, and update the `COPY --from` and `--target` that refer to it",
                    );
                }
                None => {
                    seen.insert(name.clone(), stage.from);
                }
            }
        }
    }
}

/// The 1-based line of instruction `index`'s keyword.
fn line_of(cx: &Checker<'_>, index: usize) -> usize {
    let offset = cx.df.instructions.get(index).map_or(0, |i| i.keyword_range.start as usize);
    cx.text.get(..offset).map_or(0, |t| t.bytes().filter(|&b| b == b'\n').count()) + 1
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::DuplicateStageName;

    #[test]
    fn fires_on_the_second_stage_case_insensitively() {
        let text = "FROM node:22 AS build\nRUN true\nFROM golang:1.23 AS Build\nFROM alpine AS build\n";
        let d = assert_fires(&DuplicateStageName, text);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("`Build` is already used by the stage on line 1"), "{}", d[0].message);
        assert_eq!(d[0].range.slice(text), "Build");
    }

    #[test]
    fn passes_on_unique_and_unnamed_stages() {
        assert_passes(&DuplicateStageName, "FROM node:22 AS web\nFROM golang:1.23 AS api\nFROM alpine\nFROM alpine\n");
    }
}
