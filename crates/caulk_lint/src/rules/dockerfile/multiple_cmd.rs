//! DF404: more than one CMD in a stage.
//!
//! Also home of [`report_overridden`], shared with DF405 (ENTRYPOINT) and DF406 (HEALTHCHECK).

use caulk_syntax::dockerfile::Keyword;

use crate::checker::Checker;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::shell_form_command::abbreviate;

declare_rule! {
    /// ## What it does
    /// Checks each stage for more than one `CMD`. Only the last one takes effect; every earlier
    /// one is reported as overridden. A CMD in a later stage (`FROM <stage>`) overriding one of
    /// its parent is normal and not reported, nor is `ONBUILD CMD` (it is for child images).
    ///
    /// ## Why is this bad?
    /// The earlier CMD is dead code that misleads readers about what the image runs, and is
    /// often a sign of a merge or copy-paste mistake (the command meant to run may be the one
    /// that is ignored).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "worker.py"]
    /// CMD ["python", "app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ## References
    /// - hadolint DL4003; Trivy DS-0016 (AVD-DS-0016); KICS "Multiple CMD Instructions Listed"
    /// - [Dockerfile reference: CMD](https://docs.docker.com/reference/dockerfile/#cmd)
    pub(crate) struct MultipleCmd {
        code: "DF404",
        name: "multiple-cmd",
        summary: "more than one CMD in a stage",
        severity: Low,
        fix: None,
        aliases: ["DL4003", "AVD-DS-0016"],
    }
}

impl DockerfileRule for MultipleCmd {
    fn check(&self, cx: &mut Checker<'_>) {
        report_overridden(cx, Keyword::Cmd);
    }
}

/// Reports every `keyword` instruction of a stage that a later one in the same stage
/// overrides (ONBUILD triggers excluded).
pub(crate) fn report_overridden(cx: &mut Checker<'_>, keyword: Keyword) {
    let name = keyword.as_str();
    let mut found = Vec::new();
    for stage in &cx.model.stages {
        let indices: Vec<usize> =
            stage.body().filter(|&i| cx.df.instructions.get(i).is_some_and(|inst| inst.keyword == keyword)).collect();
        let Some((&last, earlier)) = indices.split_last() else { continue };
        let Some(last_inst) = cx.df.instructions.get(last) else { continue };
        let line = line_of(cx.text, last_inst.keyword_range.start);
        for &e in earlier {
            let Some(inst) = cx.df.instructions.get(e) else { continue };
            let shown = abbreviate(&inst.args_text);
            let shown = if shown.is_empty() { String::new() } else { format!(" `{shown}`") };
            found.push((inst.keyword_range, format!("{name}{shown} is overridden by the {name} on line {line}: only the last {name} of a stage takes effect")));
        }
    }
    for (range, message) in found {
        cx.report(range, message).set_help(format!("remove this {name}, or merge it into the last one"));
    }
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: u32) -> usize {
    text.get(..offset as usize).map_or(0, |t| t.bytes().filter(|b| *b == b'\n').count()) + 1
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::MultipleCmd;

    #[test]
    fn fires_on_earlier_cmds() {
        let text = "FROM python:3.12\nCMD [\"python\", \"worker.py\"]\nRUN true\nCMD python app.py\n";
        let d = assert_fires(&MultipleCmd, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "CMD");
        assert!(d[0].message.contains("line 4"), "{}", d[0].message);
        assert!(d[0].message.contains("worker.py"));
        assert_eq!(assert_fires(&MultipleCmd, "FROM a:1\nCMD a\nCMD b\nCMD c\n").len(), 2);
    }

    #[test]
    fn passes_across_stages_and_onbuild() {
        assert_passes(&MultipleCmd, "FROM python:3.12 AS base\nCMD [\"a\"]\nFROM base\nCMD [\"b\"]\n");
        assert_passes(&MultipleCmd, "FROM python:3.12\nONBUILD CMD [\"a\"]\nCMD [\"b\"]\n");
        assert_passes(&MultipleCmd, "FROM python:3.12\nCMD [\"b\"]\n");
    }
}
