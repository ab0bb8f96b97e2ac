use super::*;
use crate::dockerfile::ast::{Body, CommandLine, Keyword};

fn ok(text: &str) -> Dockerfile {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "unexpected errors: {:?}", parsed.errors);
    parsed.ast
}

fn slice(text: &str, r: TextRange) -> &str {
    r.slice(text)
}

#[test]
fn directives_and_escape() {
    let text = "# syntax=docker/dockerfile:1\n# escape=`\nFROM windows\nRUN dir `\n  c:\\\n";
    let df = ok(text);
    assert_eq!(df.directives.len(), 2);
    assert_eq!(df.escape, '`');
    let run = &df.instructions[1];
    assert_eq!(run.args_text, "dir   c:\\");
}

#[test]
fn directive_after_instruction_is_a_comment() {
    let df = ok("FROM a\n# escape=`\nRUN x \\\n y\n");
    assert!(df.directives.is_empty());
    assert_eq!(df.escape, '\\');
    assert_eq!(df.instructions[1].args_text, "x  y");
}

#[test]
fn continuation_skips_comments_and_blank_lines_and_trailing_space() {
    let text = "FROM a\nRUN apt-get update && \\  \n# a comment\n\n    apt-get install -y curl\n";
    let df = ok(text);
    let run = &df.instructions[1];
    assert_eq!(run.args_text, "apt-get update &&     apt-get install -y curl");
    assert_eq!(df.comments.len(), 1);
    // the range of `curl` maps to its bytes in the file
    let at = run.args_text.find("curl").unwrap_or(0);
    let r = run.args_map.range_to_file(TextRange::at(at, 4));
    assert_eq!(slice(text, r), "curl");
}

#[test]
fn keywords_are_case_insensitive_and_unknown_is_an_error() {
    let parsed = parse("from alpine\nrun echo hi\nFROBNICATE x\nCMD [\"a\"]\n");
    assert_eq!(parsed.ast.instructions.len(), 3);
    assert_eq!(parsed.errors.len(), 1);
    assert!(parsed.errors[0].message.contains("FROBNICATE"));
}

#[test]
fn exec_and_shell_forms_with_buildkit_fallback() {
    let text = "FROM a\nCMD [\"python3\", \"app.py\"]\nCMD ['single', 'quotes']\nENTRYPOINT python3 app.py\n";
    let df = ok(text);
    match &df.instructions[1].body {
        Body::Command(CommandLine::Exec { args, .. }) => {
            assert_eq!(args.len(), 2);
            assert_eq!(slice(text, args[1].range), "\"app.py\"");
        }
        other => panic!("expected exec form, got {other:?}"),
    }
    assert!(matches!(&df.instructions[2].body, Body::Command(CommandLine::Shell { .. })));
    assert!(matches!(&df.instructions[3].body, Body::Command(CommandLine::Shell { .. })));
}

#[test]
fn flags_with_values_and_unknown_flags() {
    let text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build --network=none go build\nCOPY --from=build --chown=app:app --chmod=755 --link /out /app\nADD --checksum=sha256:abc https://x/y.tgz /tmp/\nCOPY --bogus=1 a b\n";
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    assert!(parsed.errors[0].message.contains("--bogus"));
    let df = parsed.ast;
    let run = &df.instructions[1];
    let mount = run.flag("mount").unwrap_or_else(|| panic!("mount"));
    assert_eq!(
        mount.options(),
        [("type".to_owned(), "cache".to_owned()), ("target".to_owned(), "/root/.cache/go-build".to_owned())]
    );
    assert_eq!(run.args_text, "go build");
    let copy = &df.instructions[2];
    assert_eq!(copy.flags.len(), 4);
    assert_eq!(copy.flag("link").map(|f| f.value.is_none()), Some(true));
    assert_eq!(
        slice(text, copy.flag("chown").and_then(|f| f.value.as_ref()).map(|v| v.range).unwrap_or_default()),
        "app:app"
    );
    match &copy.body {
        Body::Copy { sources, dest, .. } => {
            assert_eq!(sources[0].value, "/out");
            assert_eq!(dest.as_ref().map(|d| d.value.as_str()), Some("/app"));
        }
        other => panic!("{other:?}"),
    }
    match &df.instructions[0].body {
        Body::From { image, alias } => {
            assert_eq!(image.value, "golang:1.22");
            assert_eq!(alias.as_ref().map(|a| a.value.as_str()), Some("build"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn healthcheck_forms() {
    let text = "FROM a\nHEALTHCHECK --interval=30s --timeout=10s --start-period=5s --start-interval=1s --retries=3 \\\n  CMD curl -f http://localhost:5000/health || exit 1\nHEALTHCHECK NONE\n";
    let df = ok(text);
    match &df.instructions[1].body {
        Body::Healthcheck(Some(CommandLine::Shell { text: cmd, .. })) => {
            assert_eq!(cmd, "curl -f http://localhost:5000/health || exit 1");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(df.instructions[1].flags.len(), 5);
    assert!(matches!(df.instructions[2].body, Body::Healthcheck(None)));
    assert!(!parse("FROM a\nHEALTHCHECK curl x\n").errors.is_empty());
}

#[test]
fn env_label_arg_forms() {
    let text = "FROM a\nENV PYTHONUNBUFFERED=1 \\\n    PIP_NO_CACHE_DIR=\"on\"\nENV LEGACY some value here\nLABEL a=b \"c d\"=e\nARG VERSION=1.0 OTHER\n";
    let df = ok(text);
    let Body::Pairs(env) = &df.instructions[1].body else { panic!() };
    assert_eq!(env.len(), 2);
    assert_eq!(env[1].key.value, "PIP_NO_CACHE_DIR");
    assert_eq!(env[1].value.as_ref().map(|v| v.value.as_str()), Some("\"on\""));
    assert_eq!(slice(text, env[1].key.range), "PIP_NO_CACHE_DIR");
    let Body::Pairs(legacy) = &df.instructions[2].body else { panic!() };
    assert_eq!(legacy[0].value.as_ref().map(|v| v.value.as_str()), Some("some value here"));
    let Body::Pairs(args) = &df.instructions[4].body else { panic!() };
    assert_eq!(args.len(), 2);
    assert!(args[1].value.is_none());
}

#[test]
fn heredocs_run_and_copy() {
    let text = "FROM a\nRUN <<EOF\nset -e\napt-get update\nEOF\nCOPY <<-\"CONF\" /etc/app.conf\n\tkey=$value\n\tCONF\nRUN python3 <<PY > /out\nprint(1)\nPY\nCMD x\n";
    let df = ok(text);
    assert_eq!(df.instructions.len(), 5);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs.len(), 1);
    assert_eq!(run.heredocs[0].body, "set -e\napt-get update\n");
    assert_eq!(slice(text, run.range), "RUN <<EOF\nset -e\napt-get update\nEOF");
    let copy = &df.instructions[2];
    assert!(copy.heredocs[0].strip_tabs);
    assert!(copy.heredocs[0].quoted);
    assert_eq!(copy.heredocs[0].body, "key=$value\n");
    let at = copy.heredocs[0].body.find("value").unwrap_or(0);
    assert_eq!(slice(text, copy.heredocs[0].body_map.range_to_file(TextRange::at(at, 5))), "value");
    assert_eq!(df.instructions[3].heredocs[0].delimiter, "PY");
    assert_eq!(df.instructions[4].keyword, Keyword::Cmd);
}

#[test]
fn several_heredocs_in_one_instruction() {
    let df = ok("FROM a\nCOPY <<A <<B /dst/\na\nA\nb\nB\n");
    let copy = &df.instructions[1];
    assert_eq!(copy.heredocs.len(), 2);
    assert_eq!(copy.heredocs[1].body, "b\n");
}

#[test]
fn unterminated_heredoc_is_an_error_not_a_panic() {
    let parsed = parse("FROM a\nRUN <<EOF\necho hi\n");
    assert_eq!(parsed.errors.len(), 1);
    assert!(parsed.errors[0].message.contains("never terminated"));
}

#[test]
fn onbuild_wraps_an_instruction() {
    let df = ok("FROM a\nONBUILD RUN --mount=type=cache,target=/x make\nONBUILD COPY . /app\n");
    let inner = df.instructions[1].onbuild_inner().unwrap_or_else(|| panic!("no inner"));
    assert_eq!(inner.keyword, Keyword::Run);
    assert_eq!(inner.flags.len(), 1);
    assert_eq!(inner.args_text, "make");
    assert!(!parse("FROM a\nONBUILD FROM b\n").errors.is_empty());
}

#[test]
fn other_instructions() {
    let text = "FROM a\nUSER app:app\nWORKDIR /app\nEXPOSE 80/tcp 443\nVOLUME [\"/data\"]\nVOLUME /a /b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nSTOPSIGNAL SIGTERM\nMAINTAINER Jane <j@x>\n";
    let df = ok(text);
    assert!(matches!(&df.instructions[3].body, Body::List { items, .. } if items.len() == 2));
    assert!(matches!(&df.instructions[4].body, Body::List { json: true, .. }));
    assert!(matches!(&df.instructions[5].body, Body::List { items, json: false } if items.len() == 2));
    assert!(matches!(&df.instructions[8].body, Body::Text(t) if t.value == "Jane <j@x>"));
    assert!(!parse("FROM a\nSHELL /bin/bash -c\n").errors.is_empty());
}

#[test]
fn missing_arguments_are_errors() {
    let parsed = parse("FROM\nRUN\nUSER\n");
    assert_eq!(parsed.errors.len(), 3);
}

#[test]
fn crlf_and_bom() {
    let df = ok("\u{feff}FROM a\r\nRUN a \\\r\n  b\r\n");
    assert_eq!(df.instructions[1].args_text, "a   b");
}
