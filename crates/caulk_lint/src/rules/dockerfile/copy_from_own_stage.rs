//! DF607: COPY --from names its own stage.

use super::copy_from_unknown_stage::{FromRef, copy_from};
use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks for `COPY --from=<name|index>` that names the stage the instruction is in.
    ///
    /// ## Why is this bad?
    /// A stage cannot copy from itself: BuildKit stops with "circular dependency detected on
    /// stage". It is usually a copy-paste slip (the `COPY` was moved into the stage it copied
    /// from) or a stage renamed without updating its references.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3023, Trivy AVD-DS-0006
    /// - [Dockerfile reference: COPY --from](https://docs.docker.com/reference/dockerfile/#copy---from)
    pub(crate) struct CopyFromOwnStage {
        code: "DF607",
        name: "copy-from-own-stage",
        summary: "COPY --from names its own stage",
        severity: High,
        fix: None,
        aliases: ["DL3023", "AVD-DS-0006"],
    }
}

impl DockerfileRule for CopyFromOwnStage {
    fn check(&self, cx: &mut Checker<'_>) {
        // ONBUILD triggers refer to the stages of the child build: not checked
        for (i, inst) in cx.df.instructions.iter().enumerate() {
            let Some(from) = copy_from(cx, i, inst) else { continue };
            if from.target != FromRef::Own {
                continue;
            }
            let v = &from.value;
            cx.report(
                from.range,
                format!("`--from={v}` names the stage this COPY is in: a stage cannot copy from itself"),
            )
            .set_help("copy from an earlier stage, or move this COPY into the stage that needs the files");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::CopyFromOwnStage;

    #[test]
    fn fires_on_own_name_and_index() {
        let d = assert_fires(&CopyFromOwnStage, "FROM golang:1.23 AS Build\nCOPY --from=build /a /b\n");
        assert!(d[0].message.contains("`--from=build`"), "{}", d[0].message);
        let d = assert_fires(&CopyFromOwnStage, "FROM alpine AS a\nFROM alpine\nCOPY --from=1 /a /b\n");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn passes_on_other_stages_images_and_onbuild() {
        assert_passes(
            &CopyFromOwnStage,
            "FROM alpine AS a\nFROM alpine AS b\nCOPY --from=a /a /b\nCOPY --from=0 /a /b\n",
        );
        assert_passes(&CopyFromOwnStage, "FROM alpine AS a\nCOPY --from=a:latest /a /b\n");
        assert_passes(&CopyFromOwnStage, "FROM alpine AS a\nONBUILD COPY --from=a /a /b\n");
    }
}
