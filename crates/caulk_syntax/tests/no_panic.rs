//! Property tests: the Dockerfile parser and model never panic, on arbitrary text and on
//! Dockerfile-shaped token soup, and every range they return lies inside the text.

use caulk_syntax::dockerfile::{self, Body, Model};
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "FROM ",
    "RUN ",
    "CMD ",
    "COPY ",
    "ADD ",
    "ENV ",
    "ARG ",
    "USER ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "SHELL ",
    "EXPOSE ",
    "WORKDIR ",
    "LABEL ",
    "AS ",
    "--from=",
    "--mount=type=cache,target=/x ",
    "--chown=",
    "<<EOF",
    "<<-'X'",
    "EOF",
    "X",
    "\n",
    "\\\n",
    "`\n",
    "# escape=`\n",
    "# syntax=x\n",
    "#",
    "\"",
    "'",
    "[",
    "]",
    ",",
    "=",
    "$",
    "${A:-b}",
    "${",
    "}",
    "&&",
    "|",
    ";",
    "$(",
    ")",
    "sh -c ",
    "apt-get install -y ",
    "curl ",
    "\t",
    " ",
    "é",
    "\r\n",
    "NONE",
    "0",
];

fn check(text: &str) {
    let parsed = dockerfile::parse(text);
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    for e in &parsed.errors {
        assert!(e.range.end <= len, "error range out of bounds");
    }
    for inst in &parsed.ast.instructions {
        assert!(inst.range.end <= len && inst.args_range.end <= len);
        if let Body::From { image, .. } = &inst.body {
            assert!(image.range.end <= len);
        }
    }
    let model = Model::new(&parsed.ast, Some("x"));
    for i in 0..parsed.ast.instructions.len() {
        for c in model.commands(i) {
            assert!(c.range.end <= len);
            for w in &c.words {
                assert!(w.range.end <= len);
            }
        }
        let _ = model.vars_before(&parsed.ast, i);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..80)) {
        check(&tokens.concat());
    }
}
