//! Headless commands: the same engine calls the terminal UI makes, printed as tables or JSON.

mod build;
mod build_options;
mod build_print;
mod build_targets;
mod bytecode;
mod check;
mod failure;
mod hints;
mod inspect;
mod locks;
mod matrix;
pub mod out;
mod paint;
mod progress;
#[cfg(feature = "publish")]
mod publish;
mod resolve;
mod runtimes;
mod search;
mod table;
mod tree;
mod wheels;

use std::process::ExitCode;

pub use failure::{error_json, object as failure_json, print as print_json, usage_json};
pub use hints::error_text;

use clap::{Args, Parser, Subcommand, ValueEnum};
use wheelbarrow::{RuntimeTable, Target};

/// Build AWS Lambda layers for Python from wheels that load on the target runtime.
#[derive(Debug, Parser)]
#[command(name = "wheelbarrow", version, arg_required_else_help = true)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    Always,
    Never,
}

/// The layouts Lambda's Python runtime reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// python/lib/python3.X/site-packages, as in the AWS docs.
    SitePackages,
    /// python/: simpler, one Python version only.
    Python,
}

impl From<LayoutArg> for wheelbarrow::layer::Layout {
    fn from(layout: LayoutArg) -> Self {
        match layout {
            LayoutArg::SitePackages => wheelbarrow::layer::Layout::SitePackages,
            LayoutArg::Python => wheelbarrow::layer::Layout::Python,
        }
    }
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once at start; boxing buys nothing here
pub enum Command {
    /// Say whether wheel files load on a Lambda runtime, and why.
    ///
    /// Give file names (paths and URLs work too), or `-` to read one a line from stdin.
    /// Exit status: 0 when every file loads, 1 when some do not, 2 when a name is malformed.
    Check(CheckArgs),
    /// Show Lambda's Python runtimes: OS, glibc, the newest manylinux tag each loads, status.
    Runtimes(RuntimesArgs),
    /// List a release's files on the index with a verdict for each; the best one is marked.
    ///
    /// Exit status: 0 when a file loads on the target, 1 when none does.
    Wheels(WheelsArgs),
    /// Search every project on the index by name, as you would type it (typos and import names
    /// welcome: `pydntic`, `yaml`, `cv2`).
    Search(SearchArgs),
    /// Resolve requirements for a Lambda target: only wheels that load there, markers evaluated
    /// for the target, conflicts explained.
    Resolve(ResolveArgs),
    /// Build the layer zip: resolve, download, check, and write a byte-identical zip with a lock
    /// file and the publish command beside it.
    Build(BuildArgs),
    /// Resolve the requirements on every target at once (or those --runtime and --arch name):
    /// the version each target gets, where the set does not resolve and why, the wheels' size.
    ///
    /// Exit status: 0 when every target resolves, 1 when some do not, 2 for bad input.
    Matrix(matrix::MatrixArgs),
    /// Inspect a layer zip built by any tool: the /opt tree, sizes against the limits, and every
    /// native extension checked (architecture, glibc, macOS or musl binaries, Python version).
    ///
    /// Exit status: 0 when nothing would fail, 1 when something would.
    Inspect(InspectArgs),
    /// Publish a layer zip as a new Lambda layer version, with the credentials and region the
    /// AWS CLI would use; no new version when the newest one already has these exact bytes.
    ///
    /// Prints the LayerVersionArn and version, and writes them beside the zip
    /// (NAME.published.json). A zip over 50 MB goes through --s3-bucket.
    #[cfg(feature = "publish")]
    Publish(publish::PublishArgs),
    /// Start the interactive terminal UI (what `wheelbarrow` alone does on a terminal): search,
    /// see each wheel's tags against the target, pick builds, watch the budget, export.
    Tui(TuiArgs),
}

#[derive(Debug, Default, Args)]
pub struct TuiArgs {
    #[command(flatten)]
    pub reqs: RequirementArgs,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub index: IndexArgs,
}

/// The runtime table with the user's `runtimes.json` on top; a file that cannot be used is said
/// once on stderr and the built-in table used.
pub fn runtime_table() -> RuntimeTable {
    static SAID: std::sync::Once = std::sync::Once::new();
    let (table, notice) = RuntimeTable::load();
    if let Some(notice) = notice {
        SAID.call_once(|| out::say!("warning: {}", paint::plain_screen(&notice.to_string())));
    }
    table
}

/// Starts the TUI on the target and index the arguments name, their requirements as picks.
pub fn run_tui(args: &TuiArgs) -> anyhow::Result<ExitCode> {
    let (table, table_notice) = RuntimeTable::load();
    let table = std::sync::Arc::new(table);
    let target = args.target.resolve(&table)?;
    // The command line's requirements must all parse; a file's bad lines are said in the app,
    // the rest picked.
    let mut picks = Vec::new();
    let mut open = None;
    for r in &args.reqs.requirements {
        if std::path::Path::new(r)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            // `wheelbarrow tui LAYER.zip`: a layer built by anything, to look at.
            let path = std::path::PathBuf::from(r);
            anyhow::ensure!(
                path.is_file(),
                "{r} is not a file: give the path of a layer zip to open it"
            );
            anyhow::ensure!(
                open.is_none(),
                "one layer zip at a time: {r} and {} were both given",
                open.as_ref()
                    .map_or(String::new(), |p: &std::path::PathBuf| p
                        .display()
                        .to_string())
            );
            open = Some(path);
            continue;
        }
        picks.push(wheelbarrow::resolve::parse_requirement(r, "command line")?);
    }
    let chosen = args.target.runtime.is_some() || args.target.arch.is_some();
    let open = open.map(|path| (path, chosen.then(|| target.clone())));
    let mut skipped = Vec::new();
    args.reqs.check_lock_options()?;
    let given = picks.clone();
    let mut locks = false;
    for file in &args.reqs.files {
        if wheelbarrow::resolve::LockFormat::of(file).is_some() {
            locks = true;
            // As for a requirements file: what cannot go in is said in the app, the rest picked.
            let (read, notes) = wheelbarrow::resolve::lock::read_lock_tolerant(
                file,
                &args.reqs.lock_selection(),
                &given,
            )?;
            picks.extend(read);
            skipped.extend(notes.iter().map(ToString::to_string));
            continue;
        }
        let (read, bad) = wheelbarrow::resolve::read_any_tolerant(file)?;
        picks.extend(read);
        skipped.extend(bad.iter().map(ToString::to_string));
    }
    if locks {
        // A wheel of yours named beside a lock is vouched for by its own sha256.
        wheelbarrow::resolve::lock::vouch_for_given(&mut picks);
    }
    // `-f` lines of the files: the package pane sees those wheels too, not only the resolver.
    let mut settings = args.index.settings()?;
    for location in picks.iter().flat_map(|p| &p.find_links) {
        if !settings.find_links.iter().any(|f| f.url == location.url) {
            settings.find_links.push(location.clone());
        }
    }
    crate::tui::run(crate::tui::Options {
        target,
        table,
        settings,
        picks,
        skipped,
        inputs: args.reqs.files.clone(),
        open,
        // The status line is one line: what happened first, the file's words after.
        table_notice: table_notice.map(|n| {
            format!(
                "runtimes.json not used, the built-in runtime table instead: {} ({})",
                n.reason,
                n.path.display()
            )
        }),
    })
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The layer zip.
    #[arg(value_name = "LAYER.zip")]
    pub layer: std::path::PathBuf,
    /// Runtime and architecture to check for (default: read from the layer).
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // command-line switches are bools by nature
pub struct BuildArgs {
    #[command(flatten)]
    pub reqs: RequirementArgs,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Where to write the layer zip.
    #[arg(short = 'o', long = "output", value_name = "OUT.zip")]
    pub output: std::path::PathBuf,
    /// Where packages go in the zip.
    #[arg(long, value_enum, default_value_t = LayoutArg::SitePackages)]
    pub layout: LayoutArg,
    /// Leave out what every Lambda Python runtime already has (boto3, botocore, ...).
    #[arg(long)]
    pub exclude_runtime_provided: bool,
    /// Add a local file or folder: PATH=DEST, DEST under /opt (e.g. ./libpq.so.5=lib/libpq.so.5).
    #[arg(long, value_name = "PATH=DEST")]
    pub add: Vec<String>,
    /// Also leave out tests/ and test/ folders inside packages.
    #[arg(long)]
    pub strip_tests: bool,
    /// Keep __pycache__ and *.pyc files (left out by default).
    #[arg(long)]
    pub keep_pycache: bool,
    /// Compile bytecode for the target Python into the layer (faster cold starts), with an
    /// interpreter of exactly its version: --python, else python3.X on PATH, pyenv or uv.
    #[arg(long)]
    pub compile: bool,
    /// With --compile: a Python interpreter to compile with (its version must be the runtime's;
    /// repeatable, one per runtime).
    #[arg(long, value_name = "PATH")]
    pub python: Vec<std::path::PathBuf>,
    /// With --compile: how Python checks the bytecode (PEP 552): unchecked-hash (the default;
    /// a layer version never changes) or checked-hash (hashes each source at import).
    #[arg(long, value_name = "MODE")]
    pub invalidation_mode: Option<String>,
    /// Megabytes to keep free for your function code and other layers in the 250 MB budget.
    #[arg(long, value_name = "MB", default_value_t = 0)]
    pub reserve_mb: u64,
    #[command(flatten)]
    pub index: IndexArgs,
    /// Print a JSON report instead of text (and, when nothing fits, the explanation as JSON).
    #[arg(long)]
    pub json: bool,
    /// When nothing fits, also print the resolver's full derivation.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Publish the layer after building it (as `wheelbarrow publish` does).
    #[cfg(feature = "publish")]
    #[arg(long)]
    pub publish: bool,
    /// With --publish: the layer's name (default: from the zip's file name, as in OUT.publish.sh).
    #[cfg(feature = "publish")]
    #[arg(long, value_name = "NAME")]
    pub layer_name: Option<String>,
    #[cfg(feature = "publish")]
    #[command(flatten)]
    pub aws: publish::PublishOptions,
}

/// What to install: requirement strings and files.
#[derive(Debug, Clone, Default, Args)]
pub struct RequirementArgs {
    /// Requirements (PEP 508), e.g. 'pandas>=2' 'requests[socks]'.
    #[arg(value_name = "REQ")]
    pub requirements: Vec<String>,
    /// A requirements file (pip format), a pyproject.toml, or a lock file (uv.lock,
    /// poetry.lock, pylock.toml: its exact versions and hashes); may be repeated.
    #[arg(short = 'r', long = "requirement", value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// With a lock file: add a dependency group (dev groups are left out unless named).
    #[arg(long = "group", value_name = "NAME")]
    pub groups: Vec<String>,
    /// With a lock file: add every dependency group.
    #[arg(long)]
    pub all_groups: bool,
    /// With a lock file: add an extra of the project.
    #[arg(long = "extra", value_name = "NAME")]
    pub extras: Vec<String>,
    /// With a lock file: add every extra of the project.
    #[arg(long)]
    pub all_extras: bool,
    /// With a lock file: leave the lock's own project out (only its dependencies go in).
    #[arg(long)]
    pub no_project: bool,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    #[command(flatten)]
    pub reqs: RequirementArgs,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub index: IndexArgs,
    /// Leave out what every Lambda Python runtime already has (boto3, botocore, ...).
    #[arg(long)]
    pub exclude_runtime_provided: bool,
    /// Print JSON instead of a table (and, when nothing fits, the explanation as JSON).
    #[arg(long)]
    pub json: bool,
    /// When nothing fits, also print the resolver's full derivation.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: a project name, part of one, or an import name.
    pub query: String,
    /// How many results to show.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub index: IndexArgs,
    /// Print a JSON array (best first) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Where the package index is and how to reach it.
#[derive(Debug, Clone, Default, Args)]
pub struct IndexArgs {
    /// Package index: a Simple API root (as pip's --index-url) or a JSON API base ending in
    /// /pypi. Default: the PIP_INDEX_URL variable, then pip.conf's index-url, then the public index.
    #[arg(long, value_name = "URL")]
    pub index_url: Option<String>,
    /// Use only what is cached; never touch the network.
    #[arg(long)]
    pub offline: bool,
    /// A folder of wheels, or an HTML page of links to them, searched beside the index (as
    /// pip's --find-links; repeatable), besides those the environment or pip.conf set.
    #[arg(short = 'f', long = "find-links", value_name = "DIR|URL")]
    pub find_links: Vec<String>,
}

impl IndexArgs {
    pub fn settings(&self) -> anyhow::Result<wheelbarrow::index::IndexSettings> {
        let mut settings =
            wheelbarrow::index::IndexSettings::from_environment(self.index_url.as_deref())?;
        settings.offline = self.offline;
        let cwd = std::env::current_dir()?;
        for location in &self.find_links {
            settings
                .find_links
                .extend(wheelbarrow::index::FindLinks::parse_list(
                    location,
                    "--find-links",
                    &cwd,
                )?);
        }
        Ok(settings)
    }
}

#[derive(Debug, Args)]
pub struct WheelsArgs {
    /// Project name (any spelling: PyYAML, pyyaml, pydantic-core).
    pub project: String,
    /// Release to show (default: the newest final release).
    #[arg(long)]
    pub version: Option<String>,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub index: IndexArgs,
    /// Also list the files inside the best wheel with their sizes (read by range requests).
    #[arg(long)]
    pub contents: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Remembers projects the user named, so search ranks them first next time. Best effort: a
/// history that cannot be written is not worth failing a command for.
pub fn remember_picks<'a>(names: impl IntoIterator<Item = &'a str>) {
    let Some(path) = wheelbarrow::search::History::default_path() else {
        return;
    };
    let mut history = wheelbarrow::search::History::load(&path);
    for name in names {
        if let Err(e) = history.record(name) {
            tracing::debug!("could not record {name} in {}: {e}", path.display());
            return;
        }
    }
}

/// Runs a future to completion on a small runtime sized for this machine.
pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
        .block_on(future)
}

/// A token that Ctrl-C (SIGINT) or SIGTERM cancels (call inside the runtime): long work stops
/// cleanly and leaves nothing half written.
pub fn ctrl_c_token() -> tokio_util::sync::CancellationToken {
    let token = tokio_util::sync::CancellationToken::new();
    let watcher = token.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            watcher.cancel();
        }
    });
    #[cfg(unix)]
    if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
    {
        let watcher = token.clone();
        tokio::spawn(async move {
            if term.recv().await.is_some() {
                watcher.cancel();
            }
        });
    }
    token
}

/// The runtime and architecture a command is asked about.
#[derive(Debug, Clone, Default, Args)]
pub struct TargetArgs {
    /// Lambda runtime, e.g. python3.12 (default: the newest in `wheelbarrow runtimes`). `build`
    /// takes several, comma-separated (python3.11,python3.12): each in its own site-packages,
    /// or with --layout python one python/ tree whose wheels load on all of them.
    #[arg(long)]
    pub runtime: Option<String>,
    /// Architecture: x86_64 or arm64 (aarch64 is accepted too). `build` takes both,
    /// comma-separated: then every wheel taken loads on each.
    #[arg(long, short = 'a')]
    pub arch: Option<String>,
}

impl TargetArgs {
    pub fn resolve(&self, table: &RuntimeTable) -> anyhow::Result<Target> {
        Ok(table.target(self.runtime.as_deref(), self.arch.as_deref())?)
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Wheel file names, or `-` to read them from stdin.
    #[arg(required = true, value_name = "FILENAME")]
    pub files: Vec<String>,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print one JSON array instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RuntimesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Print where your own runtimes.json goes (it overrides or adds runtimes by name, so a
    /// moved date or a new runtime needs no new release), and whether it is there.
    #[arg(long, conflicts_with = "json")]
    pub path: bool,
}

impl Command {
    /// Whether `--json` was asked for: a failure is then printed as a JSON object on stdout.
    pub fn json(&self) -> bool {
        match self {
            Command::Check(a) => a.json,
            Command::Runtimes(a) => a.json,
            Command::Wheels(a) => a.json,
            Command::Search(a) => a.json,
            Command::Resolve(a) => a.json,
            Command::Build(a) => a.json,
            Command::Matrix(a) => a.json,
            Command::Inspect(a) => a.json,
            #[cfg(feature = "publish")]
            Command::Publish(a) => a.json,
            Command::Tui(_) => false,
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let paint = paint::Paint::for_stdout(cli.color);
    match cli.command {
        Command::Check(args) => check::run(&args, paint),
        Command::Runtimes(args) => runtimes::run(&args, paint),
        Command::Wheels(args) => wheels::run(&args, paint),
        Command::Search(args) => search::run(&args, paint),
        Command::Resolve(args) => resolve::run(&args, paint),
        Command::Build(args) => build::run(&args, paint),
        Command::Matrix(args) => matrix::run(&args, paint),
        Command::Inspect(args) => inspect::run(&args, paint),
        #[cfg(feature = "publish")]
        Command::Publish(args) => publish::run(&args, paint),
        Command::Tui(args) => run_tui(&args),
    }
}
