//! Per-stage context rules need: the effective USER, WORKDIR, SHELL and HEALTHCHECK, inherited
//! through `FROM <stage>` chains as the builder does.

use caulk_core::TextRange;
use caulk_syntax::dockerfile::{Base, Body, CommandLine, Dockerfile, Keyword, Model};

/// A setting made by an instruction: its (expanded) value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    /// Instruction index.
    pub index: usize,
    pub range: TextRange,
}

/// What a stage ends up with after its last instruction.
#[derive(Debug, Clone, Default)]
pub struct StageContext {
    pub index: usize,
    /// The last USER of the stage or of the stages it is built FROM.
    pub user: Option<Setting>,
    pub workdir: Option<Setting>,
    /// SHELL as JSON elements.
    pub shell: Option<Vec<String>>,
    /// The last HEALTHCHECK (`NONE` included, with value "NONE").
    pub healthcheck: Option<Setting>,
    /// Instruction index of the last CMD and ENTRYPOINT.
    pub cmd: Option<usize>,
    pub entrypoint: Option<usize>,
}

impl StageContext {
    /// Computes the context of every stage, in order (a stage inherits from an earlier one only).
    pub fn build(df: &Dockerfile, model: &Model) -> Vec<StageContext> {
        let mut out: Vec<StageContext> = Vec::with_capacity(model.stages.len());
        for stage in &model.stages {
            let mut cx = match stage.base {
                Base::Stage(p) => out.get(p).cloned().unwrap_or_default(),
                _ => StageContext::default(),
            };
            cx.index = stage.index;
            for i in stage.body() {
                let Some(inst) = df.instructions.get(i) else { continue };
                let setting = |value: String| Setting { value, index: i, range: inst.args_range };
                match (&inst.body, inst.keyword) {
                    (Body::Text(t), Keyword::User) => cx.user = Some(setting(model.expand(df, i, &t.value).value)),
                    (Body::Text(t), Keyword::Workdir) => {
                        cx.workdir = Some(setting(model.expand(df, i, &t.value).value));
                    }
                    (Body::List { items, .. }, Keyword::Shell) => {
                        cx.shell = Some(items.iter().map(|s| s.value.clone()).collect());
                    }
                    (Body::Healthcheck(h), _) => {
                        let v = match h {
                            None => "NONE".to_owned(),
                            Some(CommandLine::Exec { args, .. }) => {
                                args.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" ")
                            }
                            Some(CommandLine::Shell { text, .. }) => text.clone(),
                        };
                        cx.healthcheck = Some(setting(v));
                    }
                    (_, Keyword::Cmd) => cx.cmd = Some(i),
                    (_, Keyword::Entrypoint) => cx.entrypoint = Some(i),
                    _ => {}
                }
            }
            out.push(cx);
        }
        out
    }

    /// True when the effective user is root: `root`, `0`, `root:*`, `0:*`.
    pub fn user_is_root(&self) -> Option<bool> {
        self.user.as_ref().map(|u| is_root_user(&u.value))
    }
}

/// `root`, `0`, `root:group`, `0:0`.
pub fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}
