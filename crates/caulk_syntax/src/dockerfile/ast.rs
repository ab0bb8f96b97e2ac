//! The Dockerfile syntax tree: instructions with a byte range for every keyword, flag, argument
//! and heredoc, as BuildKit's parser splits them.

use caulk_core::TextRange;

use crate::OffsetMap;

/// A parsed Dockerfile. Offsets index the original text.
#[derive(Debug, Clone, Default)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// The active escape character (`\` or `` ` ``).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line, including those inside continued instructions (pragmas live here).
    pub comments: Vec<Comment>,
}

/// A parser directive such as `# syntax=docker/dockerfile:1` or `# escape=``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lowercase name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    pub range: TextRange,
}

/// A `#` comment line. `text` is what follows the `#`, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub range: TextRange,
}

/// A value with the range it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Self { value, range }
    }
}

/// The instruction keywords BuildKit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    From,
    Run,
    Cmd,
    Entrypoint,
    Healthcheck,
    Copy,
    Add,
    Env,
    Arg,
    Label,
    User,
    Workdir,
    Expose,
    Volume,
    Shell,
    Stopsignal,
    Maintainer,
    Onbuild,
}

impl Keyword {
    pub fn parse(word: &str) -> Option<Self> {
        const ALL: [(&str, Keyword); 18] = [
            ("FROM", Keyword::From),
            ("RUN", Keyword::Run),
            ("CMD", Keyword::Cmd),
            ("ENTRYPOINT", Keyword::Entrypoint),
            ("HEALTHCHECK", Keyword::Healthcheck),
            ("COPY", Keyword::Copy),
            ("ADD", Keyword::Add),
            ("ENV", Keyword::Env),
            ("ARG", Keyword::Arg),
            ("LABEL", Keyword::Label),
            ("USER", Keyword::User),
            ("WORKDIR", Keyword::Workdir),
            ("EXPOSE", Keyword::Expose),
            ("VOLUME", Keyword::Volume),
            ("SHELL", Keyword::Shell),
            ("STOPSIGNAL", Keyword::Stopsignal),
            ("MAINTAINER", Keyword::Maintainer),
            ("ONBUILD", Keyword::Onbuild),
        ];
        ALL.iter().find(|(name, _)| name.eq_ignore_ascii_case(word)).map(|&(_, k)| k)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::From => "FROM",
            Self::Run => "RUN",
            Self::Cmd => "CMD",
            Self::Entrypoint => "ENTRYPOINT",
            Self::Healthcheck => "HEALTHCHECK",
            Self::Copy => "COPY",
            Self::Add => "ADD",
            Self::Env => "ENV",
            Self::Arg => "ARG",
            Self::Label => "LABEL",
            Self::User => "USER",
            Self::Workdir => "WORKDIR",
            Self::Expose => "EXPOSE",
            Self::Volume => "VOLUME",
            Self::Shell => "SHELL",
            Self::Stopsignal => "STOPSIGNAL",
            Self::Maintainer => "MAINTAINER",
            Self::Onbuild => "ONBUILD",
        }
    }

    /// Flags BuildKit accepts on this instruction (without the leading `--`).
    pub const fn allowed_flags(self) -> &'static [&'static str] {
        match self {
            Self::From => &["platform"],
            Self::Run => &["mount", "network", "security", "device"],
            Self::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
            Self::Add => &["chown", "chmod", "link", "checksum", "keep-git-dir", "exclude", "unpack"],
            Self::Healthcheck => &["interval", "timeout", "start-period", "start-interval", "retries"],
            _ => &[],
        }
    }
}

/// One instruction, possibly spanning continuation lines and heredoc bodies.
#[derive(Debug, Clone)]
pub struct Instruction {
    /// From the keyword to the end of its last line (heredoc bodies included).
    pub range: TextRange,
    pub keyword: Keyword,
    /// The keyword as written.
    pub keyword_range: TextRange,
    /// `--name[=value]` flags, in order.
    pub flags: Vec<Flag>,
    /// The arguments after the flags, joined across continuations, as BuildKit sees them.
    pub args_text: String,
    /// Maps `args_text` offsets to the file.
    pub args_map: OffsetMap,
    /// File range of the arguments (from the first to the last argument byte).
    pub args_range: TextRange,
    pub body: Body,
    pub heredocs: Vec<Heredoc>,
}

impl Instruction {
    /// The first flag named `name` (without dashes).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.value == name)
    }

    /// Every flag named `name` (e.g. several `--mount`).
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name.value == name)
    }

    /// For `ONBUILD X`, the wrapped instruction.
    pub fn onbuild_inner(&self) -> Option<&Instruction> {
        match &self.body {
            Body::Onbuild(inner) => Some(inner),
            _ => None,
        }
    }
}

/// A `--name[=value]` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Name without the leading dashes.
    pub name: Spanned<String>,
    pub value: Option<Spanned<String>>,
    pub range: TextRange,
}

impl Flag {
    /// For `--mount=type=cache,target=/x`: the `key=value` options, in order.
    pub fn options(&self) -> Vec<(String, String)> {
        self.value
            .as_ref()
            .map(|v| {
                v.value
                    .split(',')
                    .filter(|kv| !kv.is_empty())
                    .map(|kv| match kv.split_once('=') {
                        Some((k, val)) => (k.trim().to_ascii_lowercase(), val.trim().to_owned()),
                        None => (kv.trim().to_ascii_lowercase(), String::new()),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Arguments of a command instruction (RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD).
#[derive(Debug, Clone)]
pub enum CommandLine {
    /// `["a", "b"]`: each element unescaped, with the range of its JSON string.
    Exec { args: Vec<Spanned<String>>, range: TextRange },
    /// Shell form: the text run by the stage's shell, and its offset map.
    Shell { text: String, map: OffsetMap, range: TextRange },
}

impl CommandLine {
    pub fn range(&self) -> TextRange {
        match self {
            Self::Exec { range, .. } | Self::Shell { range, .. } => *range,
        }
    }

    pub fn is_exec(&self) -> bool {
        matches!(self, Self::Exec { .. })
    }
}

/// `KEY=value` (or legacy `KEY value`) in ENV, LABEL, ARG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Spanned<String>,
    /// The value as written (quotes kept; expand with `expand::expand_word`). `None` for `ARG X`.
    pub value: Option<Spanned<String>>,
    pub range: TextRange,
}

/// Per-instruction arguments.
#[derive(Debug, Clone)]
pub enum Body {
    From {
        image: Spanned<String>,
        /// The stage name after `AS`.
        alias: Option<Spanned<String>>,
    },
    /// RUN, CMD, ENTRYPOINT.
    Command(CommandLine),
    Healthcheck(Option<CommandLine>),
    /// COPY and ADD: sources (raw words, quotes kept) and destination.
    Copy {
        sources: Vec<Spanned<String>>,
        dest: Option<Spanned<String>>,
        json: bool,
    },
    /// ENV, LABEL, ARG.
    Pairs(Vec<KeyValue>),
    /// EXPOSE, VOLUME, SHELL: words or JSON elements.
    List {
        items: Vec<Spanned<String>>,
        json: bool,
    },
    /// USER, WORKDIR, STOPSIGNAL, MAINTAINER: the whole argument text.
    Text(Spanned<String>),
    Onbuild(Box<Instruction>),
    /// The instruction had no usable arguments (an error was recorded).
    Missing,
}

/// A heredoc attached to an instruction: `<<EOF`, `<<-EOF`, `<<"EOF"`.
#[derive(Debug, Clone)]
pub struct Heredoc {
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from body lines.
    pub strip_tabs: bool,
    /// Quoted delimiter: no expansion in the body.
    pub quoted: bool,
    /// The `<<EOF` marker in the instruction line.
    pub marker_range: TextRange,
    /// The body as BuildKit passes it on (tabs stripped for `<<-`), ending with a newline.
    pub body: String,
    pub body_map: OffsetMap,
    /// From the first body line to the end of the closing delimiter line.
    pub range: TextRange,
    /// Whether the closing delimiter was found.
    pub terminated: bool,
}
