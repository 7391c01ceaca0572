use super::{Exit, Failure, Global};
use crate::report::Context;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: &Args, g: &Global) -> Result<Exit, Failure> {
    let reg = g.registry()?;
    let report = crate::check(&reg);
    let ctx = Context {
        subjects: Some(reg.subjects.len()),
        versions: Some(reg.subjects.iter().map(|s| s.versions.len()).sum()),
        compat: None,
    };
    Ok(g.emit(&report, &ctx))
}
