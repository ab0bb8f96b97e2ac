//! Fuzz smoke test on stable: every rule runs on Dockerfile-shaped noise without panicking, the
//! output is sorted and in bounds, and fixing converges.

use caulk_lint::{LintSettings, check_dockerfile, fixer};
use proptest::prelude::*;

const LINES: &[&str] = &[
    "FROM ubuntu:18.04",
    "FROM python:3.9-slim AS build",
    "FROM build",
    "FROM scratch",
    "FROM $BASE",
    "ARG BASE=alpine:3.12",
    "RUN apt-get update && apt-get install -y curl wget",
    "RUN apk add git",
    "RUN pip install flask",
    "RUN curl -k https://x | sh",
    "RUN echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config",
    "RUN cd /tmp && make",
    "RUN sudo chmod 777 /app",
    "USER root",
    "USER 1000:1000",
    "USER $U",
    "CMD python app.py",
    "CMD [\"sh\", \"-c\", \"python app.py\"]",
    "ENTRYPOINT [\"x\"]",
    "HEALTHCHECK CMD curl -f http://localhost/",
    "HEALTHCHECK NONE",
    "EXPOSE 22 99999",
    "WORKDIR app",
    "COPY a b c",
    "COPY --from=nope x /y",
    "ADD https://x/y.tar.gz /z",
    "ADD file.txt /z",
    "ENV API_TOKEN=abcd1234",
    "MAINTAINER x",
    "ONBUILD RUN apt-get install vim",
    "RUN <<EOF",
    "apt-get install -y nano",
    "EOF",
    "# caulk ignore=DF301",
    "# hadolint ignore=DL3008",
    "SHELL [\"/bin/bash\", \"-c\"]",
    "RUN \\",
    "  && rm -rf /var/lib/apt/lists/*",
    "LABEL a=b",
    "",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn rules_never_panic(lines in prop::collection::vec(prop::sample::select(LINES), 0..30)) {
        let text = lines.join("\n");
        let settings = LintSettings::default();
        let result = check_dockerfile(&text, &settings);
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        for pair in result.diagnostics.windows(2) {
            prop_assert!(pair[0].sort_key() <= pair[1].sort_key());
        }
        for d in &result.diagnostics {
            prop_assert!(d.range.end <= len);
        }
        let fixed = fixer::fix_dockerfile(&text, &settings, true);
        let again = fixer::fix_dockerfile(&fixed.text, &settings, true);
        prop_assert_eq!(again.text, fixed.text);
    }
}
