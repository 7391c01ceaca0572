//! `--output concise`: one line per finding, `path:line:col: severity rule: message`, as
//! compilers and ruff print them, for editors and grep; then the summary.

use super::{Context, Hidden, Shown, Streaming};
use crate::finding::Finding;
use crate::source::SourceMap;
use std::io::{self, Write};

/// The concise format, showing in full what `shown` keeps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Concise {
    pub shown: Shown,
}

/// One finding as one line.
pub fn line(f: &Finding) -> String {
    let place = f
        .location
        .as_ref()
        .map(|l| format!("{}: ", l.position()))
        .unwrap_or_default();
    let message = f.headline();
    // One line whatever the message holds.
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{place}{} {}: {message}\n", f.severity, f.rule.id)
}

impl Streaming for Concise {
    fn findings(
        &self,
        findings: &[Finding],
        _sources: &SourceMap,
        _ctx: &Context,
        hidden: &mut Hidden,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        for f in findings.iter().filter(|f| hidden.admit(&self.shown, f)) {
            out.write_all(line(f).as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Renderer, fixture};

    #[test]
    fn renders_the_fixed_report() {
        let text = Concise::default().render_to_string(&fixture::report(), &fixture::context());
        insta::assert_snapshot!(text);
        let all = Concise { shown: Shown::ALL };
        insta::assert_snapshot!(
            "all",
            all.render_to_string(&fixture::report(), &fixture::context())
        );
    }
}
