//! Real engine values for the tests: a search snapshot over the fixture name list, a project
//! page built from `DistFile`s, a resolution, its plan and budget.

use std::io::Read;
use std::sync::{Arc, OnceLock};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use url::Url;
use wheelbarrow::index::{CacheUse, DistFile, Project, Served, ZipEntry};
use wheelbarrow::layer::{Budget, LayerPlan, PlanOptions, budget, lay_out};
use wheelbarrow::resolve::{Resolution, ResolvedPackage};
use wheelbarrow::search::{Known, Matcher, NameList, Snapshot};
use wheelbarrow::{RuntimeTable, Target};

use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::layer_state::Pick;
use crate::tui::loading::Names;
use crate::tui::msg::Msg;
use crate::tui::theme::Theme;
use crate::tui::update::update;

pub fn target() -> Target {
    RuntimeTable::builtin()
        .target(Some("python3.12"), Some("x86_64"))
        .unwrap()
}

/// An app on `python3.12`/`x86_64` with the default keys, in colour, sized `width` by `height`.
pub fn app_sized(width: u16, height: u16) -> App {
    let mut app = App::new(
        target(),
        RuntimeTable::builtin().limits,
        Keymap::builtin(),
        Theme::colored(),
    );
    app.size = (width, height);
    app.cwd = "/work".into();
    app.targets = crate::tui::views::target_rows(&RuntimeTable::builtin(), "2026-12-01");
    app.table_dates = crate::tui::views::TableDates::of(&RuntimeTable::builtin(), "2026-12-01");
    app
}

pub fn app() -> App {
    app_sized(80, 24)
}

fn names() -> &'static Arc<NameList> {
    static NAMES: OnceLock<Arc<NameList>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let gz = include_bytes!("../../../tests/fixtures/search/names.txt.gz");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        Arc::new(NameList::from_names(text.lines().map(String::from)))
    })
}

/// What the search worker answers for `query` over the fixture list.
pub fn snapshot(query: &str, generation: u64) -> Snapshot {
    let mut matcher = Matcher::new(names().clone(), Arc::new(Known::builtin(&[])));
    matcher.search(query, generation, 50)
}

/// An app with the name list loaded and `query` typed and answered.
pub fn app_searching(query: &str) -> App {
    let mut app = app();
    app.names = Names::Ready {
        count: names().len(),
    };
    for c in query.chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let generation = app.search.generation;
    update(&mut app, Msg::Searched(snapshot(query, generation)));
    app
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn file(name: &str, size: u64) -> DistFile {
    let url = Url::parse(&format!("http://127.0.0.1:1/files/{name}")).unwrap();
    let mut file = DistFile::new("fastnum", name.to_string(), url);
    file.size = Some(size);
    file
}

/// A project page as the index client returns it: two releases, wheels of every kind that
/// matters on `python3.12`/`x86_64`, and a source distribution.
pub fn project() -> Arc<Project> {
    Arc::new(Project {
        name: "fastnum".into(),
        summary: Some("Fast numbers\u{1b}[31m for everyone".into()),
        versions: vec!["2.3.0".into(), "2.2.0".into()],
        files: vec![
            file(
                "fastnum-2.3.0-cp312-cp312-manylinux_2_28_x86_64.whl",
                5_300_000,
            ),
            file(
                "fastnum-2.3.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                5_200_000,
            ),
            file(
                "fastnum-2.3.0-cp312-cp312-musllinux_1_2_x86_64.whl",
                5_100_000,
            ),
            file(
                "fastnum-2.3.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                5_000_000,
            ),
            file("fastnum-2.3.0-cp312-cp312-macosx_11_0_arm64.whl", 4_900_000),
            file("fastnum-2.3.0.tar.gz", 800_000),
            file(
                "fastnum-2.2.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                4_800_000,
            ),
            file("fastnum-2.2.0-py3-none-any.whl", 900_000),
        ],
        requires_dist: None,
        served: Served {
            api: "Simple API, JSON",
            cache: CacheUse::Network,
        },
        facts: wheelbarrow::wheel::FactsCell::default(),
    })
}

/// An app with `fastnum` open in the package pane, as after Enter on it.
pub fn app_with_project() -> App {
    let mut app = app_searching("fastnum");
    crate::tui::update::open_project(&mut app, "fastnum".into());
    let generation = app.package.generation;
    update(
        &mut app,
        Msg::ProjectLoaded {
            generation,
            result: Ok(project()),
        },
    );
    app
}

fn package(name: &str, version: &str, filename: &str, by: &str, provided: bool) -> ResolvedPackage {
    let file = file(filename, 1_000_000);
    ResolvedPackage {
        name: name.into(),
        version: version.into(),
        filename: filename.into(),
        size: Some(1_000_000),
        sha256: None,
        url: file.url.to_string(),
        required_by: vec![by.into()],
        requested: by.starts_with("requested"),
        pinned_file: false,
        runtime_provided: provided,
        excluded: false,
        reason: "pure Python (py3), loads on any platform".into(),
        hashes: Vec::new(),
        source: wheelbarrow::index::FileSource::Index,
        requires_python: None,
        metadata: None,
        file,
    }
}

fn entry(name: &str, size: u64) -> ZipEntry {
    ZipEntry {
        name: name.into(),
        size,
        compressed_size: size / 3,
        method: 8,
        crc32: 0,
        offset: 0,
        unix_mode: Some(0o100_644),
    }
}

/// A resolution of `fastnum` with one dependency the runtime also provides, its plan and budget.
pub fn layer() -> (Arc<Resolution>, Arc<LayerPlan>, Budget) {
    let packages = vec![
        package(
            "fastnum",
            "2.3.0",
            "fastnum-2.3.0-cp312-cp312-manylinux_2_28_x86_64.whl",
            "requested (picked in the TUI)",
            false,
        ),
        package(
            "six",
            "1.17.0",
            "six-1.17.0-py2.py3-none-any.whl",
            "fastnum 2.3.0 (six>=1.16)",
            true,
        ),
    ];
    let resolution = Resolution {
        target: target(),
        packages: packages.clone(),
        skipped: Vec::new(),
        instead: Vec::new(),
        portable: None,
        deprecated: None,
        marker_skips: Vec::new(),
    };
    let entries = vec![
        vec![
            entry("fastnum/__init__.py", 1_200),
            entry("fastnum/_core.cpython-312-x86_64-linux-gnu.so", 14_000_000),
            entry("fastnum/linalg/__init__.py", 3_000),
            entry(
                "fastnum/linalg/_lapack.cpython-312-x86_64-linux-gnu.so",
                31_000_000,
            ),
            entry("fastnum-2.3.0.dist-info/METADATA", 2_000),
            entry("fastnum-2.3.0.dist-info/RECORD", 900),
            entry("fastnum-2.3.0.dist-info/WHEEL", 100),
        ],
        vec![
            entry("six.py", 34_000),
            entry("six-1.17.0.dist-info/METADATA", 1_500),
            entry("six-1.17.0.dist-info/RECORD", 400),
            entry("six-1.17.0.dist-info/WHEEL", 100),
        ],
    ];
    let with_entries = packages.into_iter().zip(entries).collect();
    let plan = lay_out(with_entries, &target(), &PlanOptions::default()).unwrap();
    let budget = budget(&plan, &RuntimeTable::builtin().limits, 0);
    (Arc::new(resolution), Arc::new(plan), budget)
}

/// An app with `fastnum` picked, resolved and planned (the answers fed as messages).
pub fn app_with_layer(width: u16, height: u16) -> App {
    let mut app = app_with_project();
    app.size = (width, height);
    app.layer.picks = vec![
        Pick::file(
            "fastnum",
            "2.3.0",
            "fastnum-2.3.0-cp312-cp312-manylinux_2_28_x86_64.whl",
        )
        .unwrap(),
    ];
    let commands = crate::tui::update::resolve_picks(&mut app);
    assert_eq!(commands.len(), 1);
    let (resolution, plan, budget) = layer();
    let generation = app.layer.generation;
    update(
        &mut app,
        Msg::Resolved {
            generation,
            result: Ok(resolution),
        },
    );
    update(
        &mut app,
        Msg::Planned {
            generation,
            result: Ok((plan, budget)),
        },
    );
    app
}

/// What the runner says about an export of the fixture layer (paths under /work).
pub fn export_summary() -> crate::tui::msg::ExportSummary {
    crate::tui::msg::ExportSummary {
        zip: "/work/layer-python3.12-x86_64.zip".into(),
        sha256: "9f2c".repeat(16),
        unzipped: 45_000_000,
        zipped: 15_000_000,
        lock: "/work/layer-python3.12-x86_64.lock.txt".into(),
        publish_script: "/work/layer-python3.12-x86_64.publish.sh".into(),
        publish_command: "aws lambda publish-layer-version --layer-name fastnum --zip-file fileb://layer-python3.12-x86_64.zip".into(),
        served: "serves python3.12 on x86_64 only".into(),
        runtimes: vec!["python3.12".into()],
        architectures: vec![wheelbarrow::Arch::X86_64],
        description: "fastnum 2.0.0".into(),
        fits: true,
        bytecode: None,
    }
}
