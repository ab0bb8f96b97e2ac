//! DF307: gem install without versions.

use crate::checker::Checker;
use crate::packages::{Manager, has_extension, installs};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `gem install` for gems named without a version: `bundler` rather than
    /// `bundler:2.5.18`, or `gem install bundler -v 2.5.18`. A `-v`/`--version` option pins the
    /// command's gem; local `.gem` files, Gemfile installs (`-g`/`--file`) and gems in
    /// variables are skipped.
    ///
    /// ## Why is this bad?
    /// An unversioned gem installs whatever rubygems.org serves on the day of the build: builds
    /// stop being reproducible, a new major version can break the application, and a
    /// compromised release lands in the image unnoticed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler:2.5.18
    /// ```
    ///
    /// ## References
    /// - hadolint DL3028
    /// - [gem install](https://guides.rubygems.org/command-reference/#gem-install)
    pub(crate) struct GemUnpinned {
        code: "DF307",
        name: "gem-unpinned",
        summary: "gem install without versions",
        severity: Medium,
        fix: None,
        aliases: ["DL3028"],
    }
}

impl DockerfileRule for GemUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        for (_, _, commands) in cx.runs() {
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Gem) {
                if install.has_flag(&["-v", "--version", "-g", "--file"]) {
                    continue;
                }
                for pkg in &install.packages {
                    let v = pkg.value.as_str();
                    if pkg.has_expansion
                        || v.is_empty()
                        || v.contains([':', '/'])
                        || v.starts_with('.')
                        || has_extension(v, "gem")
                    {
                        continue;
                    }
                    cx.report(pkg.range, format!("`{v}` is installed without a version"))
                        .set_help(format!("pin it: `{v}:<version>` or `gem install {v} -v <version>`"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::GemUnpinned;

    #[test]
    fn fires_on_bare_names() {
        let d = assert_fires(&GemUnpinned, "FROM ruby:3.3\nRUN gem install --no-document bundler rake:13.2.1\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`bundler`"));
    }

    #[test]
    fn fires_in_onbuild() {
        assert_fires(&GemUnpinned, "FROM ruby:3.3\nONBUILD RUN gem i rails\n");
    }

    #[test]
    fn passes_on_versions_files_and_variables() {
        assert_passes(
            &GemUnpinned,
            "FROM ruby:3.3\nARG GEM\nRUN gem install bundler -v 2.5.18 && gem install rails --version '~> 7.1' && gem install rake:13.2.1 ./vendor/x-1.0.gem $GEM\nRUN gem install -g Gemfile && gem update --system 3.5.18\n",
        );
    }
}
