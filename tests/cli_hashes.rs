//! pip's hash-checking mode in `wheelbarrow build -r`, against a loopback index: once any
//! requirement has `--hash`, every one must be pinned and hashed, dependencies included, and
//! only a file with a listed sha256 is built. A refusal writes nothing and exits 2.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{IndexOptions, TestIndex, Wheel, WheelBuilder};

struct Case {
    index: TestIndex,
    app: Wheel,
    dep: Wheel,
    dir: PathBuf,
}

fn case(tag: &str) -> Case {
    let index = TestIndex::start(IndexOptions::default());
    let app = WheelBuilder::new("app", "1.0")
        .requires_dist("dep>=1")
        .build();
    let dep = WheelBuilder::new("dep", "1.2").build();
    index.add_wheel(&app).add_wheel(&dep);
    let dir = std::env::temp_dir().join(format!("wb-cli-hashes-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Case {
        index,
        app,
        dep,
        dir,
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Case {
    fn build(&self, requirements: &str) -> Output {
        let reqs = self.dir.join("requirements.txt");
        std::fs::write(&reqs, requirements).unwrap();
        Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
            .args(["build", "-r"])
            .arg(&reqs)
            .arg("-o")
            .arg(self.out())
            .args([
                "--runtime",
                "python3.12",
                "--index-url",
                &self.index.simple(),
            ])
            .env("WHEELBARROW_CACHE_DIR", self.dir.join("cache"))
            .env("WHEELBARROW_DATA_DIR", self.dir.join("data"))
            .env("PIP_CONFIG_FILE", "/dev/null")
            .env_remove("PIP_FIND_LINKS")
            .env_remove("PIP_INDEX_URL")
            .output()
            .unwrap()
    }

    fn out(&self) -> PathBuf {
        self.dir.join("out").join("layer.zip")
    }
}

fn nothing_written(dir: &Path) -> bool {
    std::fs::read_dir(dir.join("out")).map_or(true, |mut d| d.next().is_none())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_wheel_that_matches_no_listed_hash_is_refused_and_nothing_is_written() {
    let c = case("mismatch");
    let zeros = "0".repeat(64);
    let out = c.build(&format!(
        "app==1.0 --hash=sha256:{zeros}\ndep==1.2 --hash=sha256:{}\n",
        c.dep.sha256
    ));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no file of app==1.0 has the sha256 listed (sha256:0000"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} sha256:{}", c.app.filename, c.app.sha256)),
        "the index's files are named with their hashes: {err}"
    );
    assert!(nothing_written(&c.dir));
}

#[test]
fn with_every_hash_listed_the_layer_is_built_and_the_lock_keeps_them() {
    let c = case("good");
    let out = c.build(&format!(
        "app==1.0 \\\n    --hash=sha256:{} \\\n    --hash=sha256:{}\ndep==1.2 --hash sha256:{}\n",
        "f".repeat(64),
        c.app.sha256.to_uppercase(),
        c.dep.sha256
    ));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lock = std::fs::read_to_string(c.dir.join("out/layer.requirements.txt")).unwrap();
    assert!(
        lock.contains(&format!("--hash=sha256:{}", c.app.sha256)),
        "{lock}"
    );
    assert!(
        lock.contains(&format!("--hash=sha256:{}", c.dep.sha256)),
        "{lock}"
    );
}

#[test]
fn a_dependency_without_a_hash_is_named_with_the_line_to_add() {
    let c = case("dependency");
    let out = c.build(&format!("app==1.0 --hash=sha256:{}\n", c.app.sha256));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("every package of the layer listed with its hash"),
        "{err}"
    );
    assert!(
        err.contains(&format!("dep==1.2 --hash=sha256:{}", c.dep.sha256)),
        "{err}"
    );
    assert!(nothing_written(&c.dir));
}

#[test]
fn unpinned_or_unhashed_requirements_are_refused_in_hash_checking_mode() {
    let c = case("unpinned");
    for (requirements, words) in [
        (
            format!("app==1.0 --hash=sha256:{}\ndep>=1\n", c.app.sha256),
            "dep>=1 is not pinned with ==; in hash-checking mode (turned on by the --hash at",
        ),
        (
            format!("app==1.0 --hash=sha256:{}\ndep==1.2\n", c.app.sha256),
            "dep==1.2 has no --hash; in hash-checking mode",
        ),
        (
            "--require-hashes\napp==1.0\n".to_string(),
            "app==1.0 has no --hash; in hash-checking mode (turned on by --require-hashes in",
        ),
        (
            "app==1.0 --hash=md5:abc\n".to_string(),
            "cannot be checked: indexes publish sha256 digests",
        ),
    ] {
        let out = c.build(&requirements);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{requirements}: {err}");
        assert!(err.contains(words), "{requirements}: {err}");
        assert!(nothing_written(&c.dir));
    }
}
