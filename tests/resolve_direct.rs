//! Wheels named directly (a URL, with or without `#sha256=`) and find-links folders and pages,
//! resolved against the loopback index.

mod support;

use support::{IndexOptions, TestIndex, WheelBuilder, resolve_requested};
use wheelbarrow::index::{FileSource, FindLinks};
use wheelbarrow::layer::{Layout, lock_file};
use wheelbarrow::resolve::{ResolveError, parse_requirement};

/// An index with `dep 1.0`, and `tool 1.0` (which needs `dep>=1`) served but listed nowhere.
fn index_with_a_loose_wheel() -> (TestIndex, support::Wheel) {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(&WheelBuilder::new("dep", "1.0").build());
    let tool = WheelBuilder::new("tool", "1.0")
        .requires_dist("dep>=1")
        .build();
    index.add_loose_wheel(&tool);
    (index, tool)
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wb-direct-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_wheel_url_without_a_fragment_resolves_with_its_dependencies_and_its_hash_computed() {
    let (index, tool) = index_with_a_loose_wheel();
    let url = index.file_url(&tool.filename);
    let requested = vec![parse_requirement(&url, "requirements.txt:1").unwrap()];
    let r = resolve_requested(&index, requested, "python3.12", Vec::new()).unwrap();
    let names: Vec<_> = r.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["dep", "tool"]);
    let tool_pkg = &r.packages[1];
    assert_eq!(tool_pkg.source, FileSource::Direct);
    assert_eq!(tool_pkg.sha256.as_deref(), Some(tool.sha256.as_str()));
    assert_eq!(tool_pkg.url, url);
    assert!(tool_pkg.required_by[0].contains("requirements.txt:1"));
    assert_eq!(r.packages[0].source, FileSource::Index);
    // pip installs the same file from the lock: by its URL, with the hash computed here.
    let lock = lock_file(&r, Layout::SitePackages);
    assert!(
        lock.contains(&format!(
            "tool @ {url} \\\n    --hash=sha256:{}\n",
            tool.sha256
        )),
        "{lock}"
    );
    assert!(lock.contains("dep==1.0 \\\n"), "{lock}");
}

#[test]
fn a_wheel_url_with_its_sha256_fragment_resolves_and_a_wrong_one_is_refused() {
    let (index, tool) = index_with_a_loose_wheel();
    let url = index.file_url(&tool.filename);
    let good = format!("tool @ {url}#sha256={}", tool.sha256);
    let requested = vec![parse_requirement(&good, "command line").unwrap()];
    let r = resolve_requested(&index, requested, "python3.12", Vec::new()).unwrap();
    assert_eq!(r.packages[1].sha256.as_deref(), Some(tool.sha256.as_str()));

    let wrong = "0".repeat(64);
    let bad = format!("{url}#sha256={wrong}");
    let requested = vec![parse_requirement(&bad, "requirements.txt:4").unwrap()];
    let err = resolve_requested(&index, requested, "python3.12", Vec::new()).unwrap_err();
    assert!(matches!(err, ResolveError::Direct { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("requirements.txt:4: "), "{text}");
    assert!(text.contains(&format!("sha256:{}", tool.sha256)), "{text}");
    assert!(text.contains(&format!("sha256:{wrong}")), "{text}");
    assert!(text.contains("not the one given"), "{text}");
}

#[test]
fn a_url_wheel_whose_name_is_not_the_requirements_is_refused_in_words() {
    let (index, tool) = index_with_a_loose_wheel();
    let text = format!("other @ {}", index.file_url(&tool.filename));
    let err = parse_requirement(&text, "requirements.txt:2").unwrap_err();
    assert_eq!(err.origin, "requirements.txt:2");
    assert!(
        err.problem
            .contains("names other, but tool-1.0-py3-none-any.whl is a wheel of tool"),
        "{err}"
    );
}

#[test]
fn a_direct_wheel_that_does_not_load_on_the_target_is_refused_with_its_reason() {
    let index = TestIndex::start(IndexOptions::default());
    let native = WheelBuilder::new("fast", "2.0")
        .tag("cp313-cp313-manylinux_2_17_x86_64")
        .build();
    index.add_loose_wheel(&native);
    let url = index.file_url(&native.filename);
    let requested = vec![parse_requirement(&url, "command line").unwrap()];
    let err = resolve_requested(&index, requested, "python3.12", Vec::new()).unwrap_err();
    let ResolveError::PinnedFileRefused(refusal) = &err else {
        panic!("expected a refusal of the file, got {err:?}");
    };
    assert_eq!(refusal.direct.as_deref(), Some(url.as_str()));
    assert!(refusal.loads.is_none());
    let text = err.to_string();
    assert!(text.contains(&native.filename), "{text}");
    assert!(text.contains("python3.12"), "{text}");
    assert!(
        text.contains("3.13"),
        "the engine's reason names the wheel's Python: {text}"
    );
    assert!(text.contains("named by URL or path"), "{text}");
}

#[test]
fn a_find_links_folder_supplies_a_project_the_index_lacks_and_a_newer_release_than_the_index() {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(
        &WheelBuilder::new("app", "1.0")
            .requires_dist("helper")
            .build(),
    );
    let dir = temp_dir("folder");
    let newer = WheelBuilder::new("app", "1.1")
        .requires_dist("helper")
        .build();
    let helper = WheelBuilder::new("helper", "0.3").build();
    for w in [&newer, &helper] {
        std::fs::write(dir.join(&w.filename), &w.bytes).unwrap();
    }
    // Not a wheel of anything asked for, and not a wheel: neither is taken.
    std::fs::write(dir.join("notes.txt"), b"x").unwrap();
    let links = FindLinks::parse_list(dir.to_str().unwrap(), "--find-links", &dir).unwrap();
    let requested = vec![parse_requirement("app", "command line").unwrap()];
    let r = resolve_requested(&index, requested, "python3.12", links).unwrap();
    let got: Vec<_> = r
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(got, [("app", "1.1"), ("helper", "0.3")]);
    let shown = dir.display().to_string();
    for p in &r.packages {
        assert_eq!(p.source, FileSource::FindLinks(shown.clone()), "{}", p.name);
        assert!(p.url.starts_with("file://"), "{}", p.url);
    }
    let lock = lock_file(&r, Layout::SitePackages);
    assert!(lock.contains(&format!("--find-links {shown}\n")), "{lock}");
    assert!(lock.contains("app==1.1"), "{lock}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_find_links_page_takes_part_like_the_index_and_its_newer_build_wins() {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(&WheelBuilder::new("app", "2.0").build());
    let rebuilt = WheelBuilder::new("app", "2.0").build_tag("1").build();
    index.add_loose_wheel(&rebuilt);
    let page = index.add_page(
        "/links/",
        &format!(
            "<html><body><a href=\"../files/{0}#sha256={1}\">{0}</a></body></html>",
            rebuilt.filename, rebuilt.sha256
        ),
    );
    let links = FindLinks::parse_list(&page, "PIP_FIND_LINKS", std::path::Path::new("/")).unwrap();
    let requested = vec![parse_requirement("app==2.0", "command line").unwrap()];
    let r = resolve_requested(&index, requested, "python3.12", links).unwrap();
    assert_eq!(r.packages[0].filename, rebuilt.filename);
    assert_eq!(r.packages[0].source, FileSource::FindLinks(page.clone()));
    assert_eq!(
        r.packages[0].sha256.as_deref(),
        Some(rebuilt.sha256.as_str())
    );
}
