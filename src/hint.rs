//! What the user could do next, as data. Engine messages say what happened in neutral words and
//! carry hints; each front end renders a hint in its own terms (the CLI with its flags, the TUI
//! with its keys), so no engine message names a flag or a key.

use std::time::Duration;

/// One thing the user could do next.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Hint {
    /// Another version of a project loads: ask for it.
    TryVersion { project: String, version: String },
    /// The release asked for loads on these runtimes: choose one of them.
    ChooseRuntime(Vec<String>),
    /// The release loads only through yanked files: pin it exactly to take it anyway.
    PinYanked { project: String, version: String },
    /// See the runtimes the table knows.
    ListRuntimes,
    /// The target was guessed: choose the runtime and architecture.
    ChooseTarget,
    /// Nothing was asked for: name packages or give a requirements file.
    GiveRequirements,
    /// The index cannot be reached now: work from the cache.
    UseCache,
    /// Something is not in the cache: fetch it once while online.
    GoOnline,
    /// The index URL points at a JSON API that is not there: give its Simple API root.
    UseSimpleApiRoot,
    /// Index options belong to the tool's settings, not to a requirements file.
    SetIndexUrl,
    /// Leave the packages the runtime already has out of the layer.
    ExcludeRuntimeProvided,
    /// A proxy with its own certificate authority: point the certificate settings at its bundle.
    SetCertificateFile,
    /// The index is slow: allow it more time.
    RaiseTimeout,
    /// What is shown came from a cache this old.
    CacheAge(Duration),
    /// A layer zip over the direct-upload limit: name an S3 bucket to upload it through.
    GiveS3Bucket,
    /// No AWS region is configured: choose one.
    ChooseRegion,
    /// No AWS credentials were found: choose a configured profile.
    ChooseProfile,
    /// The layer's compatible runtimes and architectures could not be read from it: give them.
    GiveCompatibility,
    /// No interpreter of the target's Python version was found to compile bytecode: name one
    /// (or build without bytecode).
    GivePython,
    /// One set of wheels cannot serve every target asked for: split them, one site-packages
    /// tree per runtime, one layer per architecture, or both.
    SplitTargets { per_runtime: bool, per_arch: bool },
}

/// Errors and results that carry hints.
pub trait Hints {
    /// What the user could do about this, most useful first.
    fn hints(&self) -> Vec<Hint>;
}
