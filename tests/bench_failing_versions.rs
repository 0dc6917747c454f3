//! The driver of `scripts/bench-failing-versions.sh`: a loopback index where every release of
//! `wide` needs `narrow>=2` and narrow has only 1.0, and `wheelbarrow resolve wide` run against it
//! under `/usr/bin/time -v` for each count in `WHEELBARROW_BENCH_COUNTS` (3000 and 10000 unless
//! told). It prints the wall time and the peak RSS of each run; it asserts only that the answer
//! is the one expected (no solution, exit 2, explained in a few lines), never a time: figures
//! are read by a person, not checked by a test. Ignored by default; the script runs it.

mod support;

use std::process::Command;
use std::time::Instant;

use support::cli::TODAY;
use support::{IndexOptions, TestIndex, WheelBuilder};

fn index_with(count: usize) -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(&WheelBuilder::new("narrow", "1.0").build());
    for i in 0..count {
        index.add_wheel(
            &WheelBuilder::new("wide", &format!("1.{i}"))
                .requires_dist("narrow>=2")
                .build(),
        );
    }
    index
}

/// `field` from `/usr/bin/time -v` output (`Maximum resident set size (kbytes): 12345`).
fn time_field<'a>(report: &'a str, field: &str) -> Option<&'a str> {
    report
        .lines()
        .find_map(|l| l.trim().strip_prefix(field)?.strip_prefix(": "))
}

#[test]
#[ignore = "a benchmark: run by scripts/bench-failing-versions.sh"]
fn resolving_many_failing_versions_prints_time_and_peak_memory() {
    let counts = std::env::var("WHEELBARROW_BENCH_COUNTS").unwrap_or_else(|_| "3000 10000".into());
    let binary = std::env::var("WHEELBARROW_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_wheelbarrow").to_owned());
    println!("binary: {binary}");
    for count in counts.split_whitespace() {
        let count: usize = count
            .parse()
            .expect("WHEELBARROW_BENCH_COUNTS holds numbers");
        let index = index_with(count);
        // The cache's folder: the temporary folder unless WHEELBARROW_BENCH_DIR names another
        // (a tmpfs, to time the resolver rather than the disk's file creation).
        let parent = std::env::var_os("WHEELBARROW_BENCH_DIR")
            .map_or_else(std::env::temp_dir, std::path::PathBuf::from);
        let dir = parent.join(format!("wb-bench-failing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let started = Instant::now();
        let out = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(&binary)
            .args([
                "resolve",
                "wide",
                "--runtime",
                "python3.12",
                "--arch",
                "x86_64",
            ])
            .args(["--index-url", &index.simple()])
            .env("WHEELBARROW_CACHE_DIR", dir.join("cache"))
            .env("WHEELBARROW_DATA_DIR", dir.join("data"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("WHEELBARROW_TODAY", TODAY)
            .env("PIP_CONFIG_FILE", "/dev/null")
            .env_remove("PIP_INDEX_URL")
            .output()
            .expect("/usr/bin/time runs (install the `time` package)");
        let wall = started.elapsed();
        let _ = std::fs::remove_dir_all(&dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let (answer, report) = stderr
            .split_once("\tCommand being timed:")
            .unwrap_or((&stderr, ""));
        let rss_kb: u64 = time_field(report, "Maximum resident set size (kbytes)")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let status = time_field(report, "Exit status").unwrap_or("?");
        let seconds = |field: &str| {
            time_field(report, field)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        println!(
            "{count} failing versions: {:.2} s wall clock, {:.2} s of CPU (user {:.2} + system {:.2}), peak RSS {} MB, exit {status}",
            wall.as_secs_f64(),
            seconds("User time (seconds)") + seconds("System time (seconds)"),
            seconds("User time (seconds)"),
            seconds("System time (seconds)"),
            rss_kb / 1024,
        );
        println!(
            "   says: {}",
            answer
                .lines()
                .take(6)
                .collect::<Vec<_>>()
                .join("\n         ")
        );
        assert_eq!(status, "2", "no solution is exit 2:\n{stderr}");
        assert!(
            answer.contains("narrow"),
            "the answer names narrow:\n{answer}"
        );
        assert!(answer.lines().count() <= 15, "a short answer:\n{answer}");
    }
}
