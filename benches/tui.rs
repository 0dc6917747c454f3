//! The TUI's latencies, measured on the machine at hand (a benchmark, not a timed test).
//!
//!     cargo bench --bench tui
//!
//! - keystroke → frame drawn: `update` for the key, the search (run here in line, as the
//!   worker would), `update` for the snapshot, and a full draw into a 160x45 `TestBackend`,
//!   typing realistic queries one letter at a time over the configured index's whole list;
//! - Enter on a project → its files drawn (a project page of numpy's size);
//! - a pick → the tree and the budget drawn (a plan of some thousands of files);
//! - start → first frame of the real binary in a pseudo-terminal, with the cache warm, and its
//!   peak RSS once the whole name list is loaded.

#[allow(dead_code, unused_imports)]
#[path = "../src/tui/mod.rs"]
mod tui;

use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use url::Url;
use wheelbarrow::RuntimeTable;
use wheelbarrow::index::{
    CacheUse, DistFile, IndexClient, IndexSettings, Project, Served, ZipEntry,
};
use wheelbarrow::layer::{PlanOptions, budget, lay_out};
use wheelbarrow::resolve::{Resolution, ResolvedPackage};
use wheelbarrow::search::store::NameStore;
use wheelbarrow::search::{Known, Matcher, NameList};

use tui::app::{App, Pane};
use tui::layer_state::Pick;
use tui::loading::Names;
use tui::msg::Msg;
use tui::update::update;

const QUERIES: [&str; 10] = [
    "requests",
    "pydantic",
    "fastapi",
    "numpy",
    "boto3",
    "psycopg2-binary",
    "aws-lambda-powertools",
    "pydntic",
    "scikit-learn",
    "yaml",
];

fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    format!(
        "{} samples, p50 {:?}, p95 {:?}, max {:?}",
        samples.len(),
        at(0.5),
        at(0.95),
        samples[samples.len() - 1]
    )
}

fn app() -> App {
    let table = RuntimeTable::builtin();
    let mut app = App::new(
        table.default_target(),
        table.limits,
        tui::keymap::Keymap::builtin(),
        tui::theme::Theme::colored(),
    );
    app.size = (160, 45);
    app
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|f| tui::ui::draw(app, f)).unwrap();
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn names() -> NameList {
    let settings = IndexSettings::from_environment(None).expect("index settings");
    let client = IndexClient::new(settings).expect("index client");
    let store = NameStore::for_client(&client);
    if let Some(stored) = store.load() {
        return stored.list;
    }
    eprintln!("downloading the project list once...");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(store.refresh(
        &client,
        None,
        &wheelbarrow::work::Progress::none(),
        &tokio_util::sync::CancellationToken::new(),
    ))
    .expect("project list")
    .list
}

fn typing(list: &Arc<NameList>) {
    let mut matcher = Matcher::new(list.clone(), Arc::new(Known::builtin(&[])));
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).unwrap();
    let mut samples = Vec::new();
    let mut search_times = Vec::new();
    let mut ui_only = Vec::new();
    for _round in 0..3 {
        for query in QUERIES {
            let mut app = app();
            app.names = Names::Ready { count: list.len() };
            for c in query.chars() {
                let started = Instant::now();
                update(&mut app, key(c));
                let search_start = Instant::now();
                let snapshot = matcher.search(app.search.input.value(), app.search.generation, 200);
                let search_end = Instant::now();
                update(&mut app, Msg::Searched(snapshot));
                draw(&mut terminal, &app);
                let done = Instant::now();
                samples.push(done - started);
                search_times.push(search_end - search_start);
                ui_only.push((search_start - started) + (done - search_end));
            }
        }
    }
    println!("keystroke -> frame:     {}", percentiles(samples));
    println!("  of which the search:  {}", percentiles(search_times));
    println!("  update + draw alone:  {}", percentiles(ui_only));
}

fn file(project: &str, name: &str) -> DistFile {
    let url = Url::parse(&format!("http://127.0.0.1:1/f/{name}")).unwrap();
    let mut f = DistFile::new(project, name.to_string(), url);
    f.size = Some(15_000_000);
    f
}

/// A project page the size of numpy's: 120 releases, 36 files each.
fn big_project() -> Arc<Project> {
    let mut versions = Vec::new();
    let mut files = Vec::new();
    for minor in (0..120).rev() {
        let v = format!("1.{minor}.0");
        for py in 9..15 {
            for plat in [
                "manylinux_2_17_x86_64.manylinux2014_x86_64",
                "manylinux_2_28_aarch64",
                "musllinux_1_2_x86_64",
                "macosx_14_0_arm64",
                "win_amd64",
                "manylinux_2_28_x86_64",
            ] {
                files.push(file(
                    "bignum",
                    &format!("bignum-{v}-cp3{py}-cp3{py}-{plat}.whl"),
                ));
            }
        }
        files.push(file("bignum", &format!("bignum-{v}.tar.gz")));
        versions.push(v);
    }
    Arc::new(Project {
        name: "bignum".into(),
        summary: Some("A project with many files".into()),
        versions,
        files,
        requires_dist: None,
        served: Served {
            api: "bench",
            cache: CacheUse::Network,
        },
        facts: wheelbarrow::wheel::FactsCell::default(),
    })
}

fn enter_to_files() {
    let project = big_project();
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).unwrap();
    let mut samples = Vec::new();
    for _ in 0..30 {
        let mut app = app();
        tui::update::resolve_picks(&mut app);
        app.package.generation = 1;
        app.package.name = "bignum".into();
        app.focus = Pane::Package;
        let started = Instant::now();
        update(
            &mut app,
            Msg::ProjectLoaded {
                generation: 1,
                result: Ok(project.clone()),
            },
        );
        draw(&mut terminal, &app);
        samples.push(started.elapsed());
    }
    println!("Enter -> files drawn:   {}", percentiles(samples));
}

fn pick_to_tree() {
    let table = RuntimeTable::builtin();
    let target = table.default_target();
    let mut packages = Vec::new();
    for p in 0..12 {
        let name = format!("pkg{p}");
        let filename = format!("{name}-1.0-py3-none-any.whl");
        let dist = file(&name, &filename);
        let entries: Vec<ZipEntry> = (0..300)
            .map(|i| ZipEntry {
                name: format!("{name}/sub{}/deep{}/module{i}.py", i % 7, i % 3),
                size: 10_000 + i * 13,
                compressed_size: 4_000,
                method: 8,
                crc32: 0,
                offset: 0,
                unix_mode: None,
            })
            .collect();
        let package = ResolvedPackage {
            name: name.clone(),
            version: "1.0".into(),
            filename,
            size: Some(1_000_000),
            sha256: None,
            url: dist.url.to_string(),
            required_by: vec!["requested".into()],
            requested: true,
            pinned_file: false,
            runtime_provided: false,
            excluded: false,
            reason: String::new(),
            hashes: Vec::new(),
            source: wheelbarrow::index::FileSource::Index,
            requires_python: None,
            metadata: None,
            file: dist,
        };
        packages.push((package, entries));
    }
    let resolution = Arc::new(Resolution {
        target: target.clone(),
        packages: packages.iter().map(|(p, _)| p.clone()).collect(),
        skipped: Vec::new(),
        instead: Vec::new(),
        portable: None,
        deprecated: None,
        marker_skips: Vec::new(),
    });
    let plan = Arc::new(lay_out(packages, &target, &PlanOptions::default()).unwrap());
    let budget = budget(&plan, &table.limits, 0);
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).unwrap();
    let mut samples = Vec::new();
    for _ in 0..30 {
        let mut app = app();
        app.layer.picks = vec![Pick {
            requested: wheelbarrow::resolve::parse_requirement("pkg0", "bench").unwrap(),
        }];
        app.tree.open.insert("python/".into());
        app.tree.open.insert("python/lib/".into());
        tui::update::resolve_picks(&mut app);
        let generation = app.layer.generation;
        let started = Instant::now();
        update(
            &mut app,
            Msg::Resolved {
                generation,
                result: Ok(resolution.clone()),
            },
        );
        update(
            &mut app,
            Msg::Planned {
                generation,
                result: Ok((plan.clone(), budget.clone())),
            },
        );
        draw(&mut terminal, &app);
        samples.push(started.elapsed());
    }
    println!(
        "pick -> tree drawn:     {} ({} files in the plan)",
        percentiles(samples),
        plan.files.len()
    );
}

/// Starts the real binary in a pty; returns the time to its first frame and its peak RSS (kB)
/// once the status line says the name list is loaded.
fn real_binary() -> (Duration, Option<u64>) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 45,
            cols: 160,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_wheelbarrow"));
    command.arg("tui");
    command.env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let pid = child.process_id();
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let mut parser = vt100::Parser::new(45, 160, 0);
    let mut buf = vec![0u8; 65536];
    let mut first = None;
    let mut rss = None;
    while let Ok(n) = reader.read(&mut buf) {
        if n == 0 {
            break;
        }
        parser.process(&buf[..n]);
        let text = parser.screen().contents();
        if first.is_none() && text.contains("Search") {
            first = Some(started.elapsed());
        }
        if text.contains("project names") {
            rss = pid.and_then(peak_rss_kb);
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            break;
        }
    }
    let _ = std::io::Write::write_all(&mut writer, b"\x03");
    let _ = child.wait();
    (first.unwrap_or_default(), rss)
}

fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let list = Arc::new(names());
    println!("names:                  {}", list.len());
    typing(&list);
    enter_to_files();
    pick_to_tree();
    let mut firsts = Vec::new();
    let mut peak = None;
    for _ in 0..5 {
        let (first, rss) = real_binary();
        firsts.push(first);
        peak = peak.max(rss);
    }
    println!("start -> first frame:   {}", percentiles(firsts));
    #[allow(clippy::cast_precision_loss)] // megabytes to a tenth
    if let Some(kb) = peak {
        println!("peak RSS, list loaded:  {:.1} MB", kb as f64 / 1024.0);
    }
}
