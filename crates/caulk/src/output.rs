//! The only place that writes to the terminal or to output files.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::ColorChoice;

/// Writes `text` to `path`, or to standard output when `path` is `None`.
pub(crate) fn emit(text: &str, path: Option<&Path>) -> Result<()> {
    match path {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            // a closed pipe (`caulk check | head`) is not an error worth reporting
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("writing to standard output"),
            }
        }
    }
}

/// Whether text output gets ANSI colour: `--color`, else only on a terminal without `NO_COLOR`.
pub(crate) fn use_color(choice: ColorChoice, to_file: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !to_file && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

pub(crate) fn error(message: &str) {
    eprintln!("caulk: error: {message}");
}

pub(crate) fn warn(message: &str) {
    eprintln!("caulk: warning: {message}");
}

/// Progress and outcome of commands whose result is not a report (`caulk db import`).
pub(crate) fn info(message: &str) {
    eprintln!("{message}");
}
