use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // As git itself, objects are not hashed again on every read (only `git fsck` does that);
    // zlib's checksum still catches a damaged object. Re-hashing each blob was a third of
    // `check --staged` on a 10,000-version registry. Set here, not in the library: it is a
    // process-wide libgit2 setting that a program embedding evreg keeps for itself.
    #[cfg(feature = "git")]
    git2::opts::strict_hash_verification(false);
    ExitCode::from(evreg::cli::run(evreg::cli::Cli::parse()))
}
