//! The runtime table: the asset against AWS's table (a fixture copied from the page), the
//! user's file on top, and the staleness of the dates. The day is always passed in.

use super::*;

const FIXTURE: &str = include_str!("../../tests/fixtures/runtimes/aws-lambda-runtimes-python.md");

/// "Jun 30, 2029" → "2029-06-30".
fn iso(aws: &str) -> String {
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (month, rest) = aws.trim().split_once(' ').unwrap();
    let (day, year) = rest.split_once(", ").unwrap();
    let m = months.iter().position(|x| *x == month).unwrap() + 1;
    format!("{year}-{m:02}-{:02}", day.parse::<u32>().unwrap())
}

#[test]
fn the_asset_dates_match_aws_table() {
    let table = RuntimeTable::builtin();
    let rows: Vec<Vec<&str>> = FIXTURE
        .lines()
        .filter(|l| l.starts_with("| Python"))
        .map(|l| {
            l.split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), table.runtimes.len());
    for row in rows {
        let r = table.runtime(row[1]).unwrap();
        assert_eq!(r.os, row[2], "{}", row[1]);
        let dates = [&r.deprecation, &r.block_create, &r.block_update];
        for (cell, date) in row[3..6].iter().zip(dates) {
            assert_eq!(date.as_deref(), Some(iso(cell).as_str()), "{}", row[1]);
        }
    }
    assert!(is_iso_date(&table.as_of));
    assert!(
        table
            .os_notes
            .iter()
            .any(|(os, n)| os == "Amazon Linux 2" && n.contains("2026-06-30"))
    );
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wb-runtimes-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("runtimes.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_user_file_adds_a_runtime_and_moves_a_date() {
    let path = scratch(
        "add",
        r#"{
  "as_of": "2027-05-01",
  "runtimes": [
    {"name": "python3.15", "os": "Amazon Linux 2023", "glibc": "2.34",
     "architectures": ["x86_64", "arm64"], "deprecation": "2031-06-30"},
    {"name": "python3.11", "deprecation": "2027-09-30", "block_create": "2027-10-31",
     "block_update": "2027-11-30"}
  ]
}"#,
    );
    let (table, notice) = RuntimeTable::load_from(Some(&path));
    assert_eq!(notice, None);
    assert_eq!(table.default_target().runtime.name, "python3.15");
    assert_eq!(table.as_of, "2027-05-01");
    assert_eq!(table.user_file.as_deref(), Some(path.as_path()));
    assert!(table.as_of_words().contains("runtimes.json"));
    let r = table.runtime("python3.11").unwrap();
    assert_eq!(r.deprecation.as_deref(), Some("2027-09-30"));
    assert_eq!(r.os, "Amazon Linux 2", "fields not given are kept");
    assert!(r.lifecycle("2027-07-01").is_supported());
    assert_eq!(table.runtimes.len(), 7);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn a_malformed_user_file_is_refused_in_words_and_the_builtin_table_used() {
    for (name, text, says) in [
        (
            "typo",
            r#"{"runtimes": [{"name": "python3.11", "deprecaton": "2027-09-30"}]}"#,
            "unknown field `deprecaton`",
        ),
        (
            "date",
            r#"{"runtimes": [{"name": "python3.11", "deprecation": "30/09/2027"}]}"#,
            "python3.11: deprecation \"30/09/2027\" is not a date",
        ),
        (
            "new",
            r#"{"runtimes": [{"name": "python3.15", "deprecation": "2031-06-30"}]}"#,
            "python3.15 is not in the built-in table",
        ),
        (
            "order",
            r#"{"runtimes": [{"name": "python3.12", "block_create": "2020-01-01"}]}"#,
            "block_create 2020-01-01 comes before deprecation 2028-10-31",
        ),
        ("json", "{\"runtimes\": [", "EOF while parsing"),
    ] {
        let path = scratch(name, text);
        let (table, notice) = RuntimeTable::load_from(Some(&path));
        let notice = notice.unwrap_or_else(|| panic!("{name}: no notice"));
        let said = notice.to_string();
        assert!(said.starts_with(&path.display().to_string()), "{said}");
        assert!(said.contains(says), "{name}: {said}");
        assert!(said.contains("Using the built-in runtime table"), "{said}");
        assert_eq!(table.runtimes, RuntimeTable::builtin().runtimes);
        assert_eq!(table.user_file, None);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}

#[test]
fn a_missing_user_file_is_no_notice_and_a_folder_is_refused() {
    let dir = std::env::temp_dir().join(format!("wb-runtimes-{}-dir", std::process::id()));
    std::fs::create_dir_all(dir.join("runtimes.json")).unwrap();
    let (_, notice) = RuntimeTable::load_from(Some(&dir.join("nothing.json")));
    assert_eq!(notice, None);
    let (_, notice) = RuntimeTable::load_from(Some(&dir.join("runtimes.json")));
    assert!(notice.unwrap().reason.contains("not a regular file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dates_older_than_180_days_are_said_to_be_possibly_moved() {
    let table = RuntimeTable::builtin();
    let as_of = table.as_of.clone();
    assert_eq!(table.staleness(&as_of), None);
    let later = super::super::clock::civil_date(
        super::super::clock::days_between("1970-01-01", &as_of).unwrap() + 181,
    );
    let stale = table.staleness(&later).unwrap();
    assert_eq!(stale.days, 181);
    let said = stale.to_string();
    assert!(
        said.contains(&format!("as of {as_of} (181 days ago)")),
        "{said}"
    );
    assert!(said.contains("AWS may have moved them since"), "{said}");
}
