//! What a rule sees while it runs: the file, its model, stage contexts, settings, and a sink
//! for findings that stamps each with the running rule.

use caulk_core::{Diagnostic, RuleMeta, TextRange};
use caulk_syntax::dockerfile::{Dockerfile, Instruction, Model, Stage};
use caulk_syntax::shell::Command;

use crate::context::StageContext;
use crate::settings::LintSettings;

/// The shared view every rule reads; built once per file.
pub struct Checker<'a> {
    pub text: &'a str,
    pub df: &'a Dockerfile,
    pub model: &'a Model,
    pub stages: &'a [StageContext],
    pub settings: &'a LintSettings,
    rule: &'static RuleMeta,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(
        text: &'a str,
        df: &'a Dockerfile,
        model: &'a Model,
        stages: &'a [StageContext],
        settings: &'a LintSettings,
        rule: &'static RuleMeta,
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Self { text, df, model, stages, settings, rule, out }
    }

    /// Reports a finding of the running rule and returns it so help and fixes can be attached.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.out.push(Diagnostic::new(self.rule, range, message));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// The text of a range of the file.
    pub fn slice(&self, range: TextRange) -> &'a str {
        range.slice(self.text)
    }

    /// Every instruction with its index; `ONBUILD X` is yielded as `X` (its trigger), since the
    /// trigger runs in every image built from this one.
    pub fn instructions(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        self.df.instructions.iter().enumerate().map(|(i, inst)| (i, inst.onbuild_inner().unwrap_or(inst)))
    }

    /// Instructions of the stages that matter for a shipped-image concern: the shipped stages.
    pub fn shipped_instructions(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        let model = self.model;
        self.instructions().filter(move |(i, _)| model.stage_of(*i).is_some_and(|s| s.shipped))
    }

    /// Shell commands of instruction `index` (RUN bodies, shell-form CMD/ENTRYPOINT/HEALTHCHECK).
    pub fn commands(&self, index: usize) -> &'a [Command] {
        self.model.commands(index)
    }

    /// RUN instructions with their commands, in order.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &'a Instruction, &'a [Command])> + 'a {
        let model = self.model;
        self.instructions()
            .filter(|(_, inst)| inst.keyword == caulk_syntax::dockerfile::Keyword::Run)
            .map(move |(i, inst)| (i, inst, model.commands(i)))
    }

    pub fn stage_of(&self, index: usize) -> Option<&'a Stage> {
        self.model.stage_of(index)
    }

    /// Whether instruction `index` is in a stage that ends up in the built image.
    pub fn is_shipped(&self, index: usize) -> bool {
        self.model.stage_of(index).is_some_and(|s| s.shipped)
    }

    /// The context of the final (built) stage.
    pub fn final_context(&self) -> Option<&'a StageContext> {
        self.model.final_stage.and_then(|i| self.stages.get(i))
    }
}
