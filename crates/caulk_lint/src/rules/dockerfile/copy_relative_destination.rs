//! DF603: COPY to a relative path with no WORKDIR set.

use caulk_syntax::dockerfile::{Base, Body, Keyword};

use super::relative_workdir::{any_workdir_before, is_absolute};
use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks for `COPY` and `ADD` instructions whose destination is a relative path (`.`,
    /// `app/`, `./config.yml`) in a stage where no `WORKDIR` was set before them, neither in the
    /// stage nor in the stages it is built `FROM`.
    ///
    /// ## Why is this bad?
    /// A relative destination is resolved against the working directory, which without a
    /// `WORKDIR` of your own is the base image's: `/` for `debian`, `/go` for `golang`,
    /// `/usr/src/app` for some language images. Switching the base image silently moves your
    /// files, and `COPY . .` into `/` scatters the build context over the root filesystem.
    ///
    /// Stages built `FROM scratch` are not reported: their working directory is always `/`.
    /// Destinations made of unresolvable variables are not reported either.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// COPY package.json .
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-alpine
    /// WORKDIR /app
    /// COPY package.json .
    /// ```
    ///
    /// ## References
    /// - hadolint DL3045
    /// - [Dockerfile reference: COPY](https://docs.docker.com/reference/dockerfile/#copy)
    pub(crate) struct CopyRelativeDestination {
        code: "DF603",
        name: "copy-relative-destination",
        summary: "COPY to a relative path with no WORKDIR set",
        severity: Low,
        fix: None,
        aliases: ["DL3045"],
    }
}

impl DockerfileRule for CopyRelativeDestination {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, inst) in cx.df.instructions.iter().enumerate() {
            // ONBUILD triggers run in a child image whose WORKDIR is unknown here: skipped
            let Body::Copy { dest: Some(dest), .. } = &inst.body else { continue };
            let Some(stage) = cx.stage_of(i) else { continue };
            if *stage.root_image(&cx.model.stages) == Base::Scratch {
                continue;
            }
            let expanded = cx.model.expand(cx.df, i, &dest.value);
            let value = expanded.value.trim();
            if !expanded.is_resolved() || value.is_empty() || is_absolute(value) || any_workdir_before(cx, i) {
                continue;
            }
            let kw = if inst.keyword == Keyword::Add { "ADD" } else { "COPY" };
            cx.report(dest.range, format!("{kw} destination `{value}` is relative, but no WORKDIR is set in this stage: it lands in the base image's working directory"))
                .set_help("set `WORKDIR /app` (or another absolute path) before this instruction, or use an absolute destination");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::CopyRelativeDestination;

    #[test]
    fn fires_without_workdir() {
        let d =
            assert_fires(&CopyRelativeDestination, "FROM node:22\nCOPY package.json .\nADD [\"a.txt\", \"conf/\"]\n");
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("`.`"), "{}", d[0].message);
        assert!(d[1].message.starts_with("ADD destination `conf/`"), "{}", d[1].message);
    }

    #[test]
    fn workdir_of_the_stage_or_its_parent_counts() {
        assert_passes(&CopyRelativeDestination, "FROM node:22\nWORKDIR /app\nCOPY . .\n");
        assert_passes(&CopyRelativeDestination, "FROM node:22 AS base\nWORKDIR /app\nFROM base\nCOPY . .\n");
        assert_fires(
            &CopyRelativeDestination,
            "FROM node:22 AS base\nWORKDIR /app\nFROM node:22\nCOPY --from=base /app .\n",
        );
        // the WORKDIR must come first
        assert_fires(&CopyRelativeDestination, "FROM node:22\nCOPY . .\nWORKDIR /app\n");
    }

    #[test]
    fn passes_on_absolute_scratch_variables_and_onbuild() {
        assert_passes(&CopyRelativeDestination, "FROM node:22\nCOPY . /app/\nCOPY x $UNKNOWN\nENV D=/srv\nCOPY y $D\n");
        assert_passes(&CopyRelativeDestination, "FROM scratch\nCOPY app .\n");
        assert_passes(&CopyRelativeDestination, "FROM scratch AS s\nFROM s\nCOPY app .\n");
        assert_passes(&CopyRelativeDestination, "FROM node:22\nONBUILD COPY . .\n");
    }
}
