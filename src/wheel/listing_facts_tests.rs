use super::*;
use crate::lambda::RuntimeTable;
use crate::wheel::file_verdict;

#[derive(Debug, Clone)]
struct File {
    name: String,
    kind: FileKind,
    version: Option<String>,
    requires_python: Option<String>,
    yanked: Option<String>,
}

struct Page {
    versions: Vec<String>,
    files: Vec<File>,
}

impl ListedFile for File {
    fn filename(&self) -> &str {
        &self.name
    }
    fn kind(&self) -> FileKind {
        self.kind
    }
    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    fn requires_python(&self) -> Option<&str> {
        self.requires_python.as_deref()
    }
    fn yanked(&self) -> Option<&str> {
        self.yanked.as_deref()
    }
}

impl Listing for Page {
    type File = File;
    fn versions(&self) -> &[String] {
        &self.versions
    }
    fn files(&self) -> &[File] {
        &self.files
    }
}

fn file(name: &str, version: &str, requires_python: Option<&str>) -> File {
    let kind = match std::path::Path::new(name).extension() {
        Some(e) if e == "whl" => FileKind::Wheel,
        Some(e) if e == "gz" => FileKind::Sdist,
        _ => FileKind::Other,
    };
    File {
        name: name.to_string(),
        kind,
        version: Some(version.to_string()),
        requires_python: requires_python.map(str::to_string),
        yanked: None,
    }
}

/// Two releases sharing tag sets and Requires-Python values, with every kind of file the
/// verdict tells apart: builds per Python, abi3, pure wheels, musllinux, Windows, a build tag,
/// a source distribution, a name that does not parse, a Requires-Python that does not parse,
/// a yanked file.
fn page() -> Page {
    let mut files = Vec::new();
    for (v, rp) in [("2.0", Some(">=3.10")), ("1.0", Some(">=3.8, <3.12"))] {
        for tags in [
            "cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64",
            "cp311-cp311-manylinux_2_28_aarch64",
            "cp312-cp312-manylinux_2_17_x86_64",
            "cp312-cp312-musllinux_1_2_x86_64",
            "cp313-cp313-manylinux2014_aarch64",
            "cp310-abi3-manylinux_2_17_x86_64",
            "cp38-abi3-manylinux_2_34_aarch64",
            "py3-none-any",
            "py2.py3-none-any",
            "cp312-cp312-win_amd64",
        ] {
            files.push(file(&format!("fast-{v}-{tags}.whl"), v, rp));
        }
        files.push(file(&format!("fast-{v}-1b-py3-none-any.whl"), v, None));
        files.push(file(&format!("fast-{v}.tar.gz"), v, rp));
        files.push(file(&format!("fast-{v}-bad.whl"), v, rp));
        files.push(file(
            &format!("fast-{v}-cp311-none-manylinux1_x86_64.whl"),
            v,
            Some("not a specifier"),
        ));
    }
    files[3].yanked = Some("broken".into());
    files.push(File {
        version: Some("junk".into()),
        ..file("fast-3.0-py3-none-any.whl", "3.0", None)
    });
    Page {
        versions: vec!["2.0".into(), "1.0".into(), "junk".into()],
        files,
    }
}

#[test]
fn facts_read_once_judge_every_file_on_every_target_as_the_verdict_does() {
    let table = RuntimeTable::builtin();
    let page = page();
    let facts = ListingFacts::of(&page);
    let mut checked = 0;
    let mut loading = 0;
    for runtime in &table.runtimes {
        for arch in ["x86_64", "arm64"] {
            let target = table.target(Some(&runtime.name), Some(arch)).unwrap();
            // One judge per target, all reading the same facts.
            let judge = facts.judge(&target);
            for (i, f) in page.files.iter().enumerate() {
                let verdict = file_verdict(f, &target);
                let expected = verdict
                    .rank
                    .filter(|_| verdict.compatible)
                    .map(|rank| Loads {
                        rank,
                        pure: matches!(verdict.fit, Some(Fit::PurePython { .. })),
                    });
                assert_eq!(judge.loads(i), expected, "{} on {target}", f.name);
                // Asked again, from the judge's memory: the same answer.
                assert_eq!(judge.loads(i), expected, "{} on {target}", f.name);
                checked += 1;
                loading += usize::from(expected.is_some());
            }
        }
    }
    assert!(
        checked > 100 && loading > 10 && loading < checked,
        "{loading} of {checked}"
    );
}

#[test]
fn facts_hold_each_files_version_and_build_tag_and_the_releases_in_order() {
    let page = page();
    let facts = ListingFacts::of(&page);
    let v = |s: &str| Version::from_str(s).unwrap();
    assert_eq!(facts.versions, [v("1.0"), v("2.0")]);
    assert_eq!(facts.file_versions, [v("1.0"), v("2.0")]);
    assert_eq!(facts.len(), page.files.len());
    for (i, f) in page.files.iter().enumerate() {
        let version = facts
            .version_of(i)
            .map(|at| facts.file_versions[at].clone());
        assert_eq!(
            version,
            f.version.as_deref().and_then(|s| Version::from_str(s).ok()),
            "{}",
            f.name
        );
        let build = (f.kind == FileKind::Wheel)
            .then(|| WheelName::parse(&f.name).ok())
            .flatten()
            .and_then(|w| w.build);
        assert_eq!(facts.build_of(i), build.as_ref(), "{}", f.name);
    }
    assert_eq!(facts.build_of(10).map(|b| b.number), Some(1));
}

#[test]
fn a_copy_of_a_listings_cell_starts_empty_and_a_changed_listing_is_read_again() {
    let mut page = page();
    let cell = FactsCell::default();
    let first = cell.get(&page);
    assert!(
        Arc::ptr_eq(&first, &cell.get(&page)),
        "read once, then shared"
    );
    assert!(cell.clone().0.get().is_none());
    page.files.pop();
    assert_eq!(cell.get(&page).len(), page.files.len());
}
