//! Index credentials never reach the disk: after a build and a search through an index URL
//! and a find-links URL that carry passwords, no file of the cache folder holds them, and
//! every file there is readable by its owner only. A cache folder written by an older version
//! (records holding such URLs) is put right on the next run.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::cli::{Sandbox, files_under, stderr};

const PASSWORD: &str = "Hunter2-S3CRET";
const FIND_LINKS_PASSWORD: &str = "Fl-S3CRET-99";

/// `wheelbarrow ARGS...` with the sandbox's folders and `index_url` as the index.
fn run(sb: &Sandbox, index_url: &str, find_links: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(args)
        .args(["--index-url", index_url])
        .current_dir(&sb.dir)
        .env("WHEELBARROW_CACHE_DIR", sb.dir.join("cache"))
        .env("WHEELBARROW_DATA_DIR", sb.dir.join("data"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("PIP_FIND_LINKS", find_links)
        .env_remove("PIP_INDEX_URL")
        .env_remove("PIP_EXTRA_INDEX_URL")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .output()
        .unwrap()
}

/// Every cache file holding `secret`, and every one readable by others than its owner.
fn leaks(cache: &Path, secrets: &[&str]) -> (Vec<String>, Vec<String>) {
    let files = files_under(cache);
    assert!(!files.is_empty(), "the run cached nothing");
    let mut holding = Vec::new();
    let mut open = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if secrets.iter().any(|s| text.contains(s)) {
            holding.push(file.display().to_string());
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            if mode != 0o600 {
                open.push(format!("{} {mode:o}", file.display()));
            }
        }
    }
    (holding, open)
}

fn with_credentials(url: &str, user: &str, password: &str) -> String {
    url.replacen("http://", &format!("http://{user}:{password}@"), 1)
}

#[test]
fn a_build_and_a_search_through_urls_with_passwords_leave_no_password_in_the_cache() {
    let sb = Sandbox::new("secrets");
    let extra = support::WheelBuilder::new("linked", "1.0").build();
    sb.index.add_loose_wheel(&extra);
    let page = sb.index.add_page(
        "/links/",
        &format!("<a href=\"/files/{0}\">{0}</a>", extra.filename),
    );
    let index_url = with_credentials(&sb.index.simple(), "me", PASSWORD);
    let find_links = with_credentials(&page, "fl", FIND_LINKS_PASSWORD);
    let built = run(
        &sb,
        &index_url,
        &find_links,
        &[
            "build",
            "--runtime",
            "python3.12",
            "app",
            "linked",
            "-o",
            "out/layer.zip",
        ],
    );
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let searched = run(&sb, &index_url, &find_links, &["search", "app"]);
    assert_eq!(searched.status.code(), Some(0), "{}", stderr(&searched));
    let (holding, open) = leaks(&sb.dir.join("cache"), &[PASSWORD, FIND_LINKS_PASSWORD]);
    assert!(holding.is_empty(), "files holding a password: {holding:?}");
    assert!(open.is_empty(), "files readable by others: {open:?}");
    // The lock beside the zip names neither.
    let lock = std::fs::read_to_string(sb.out().join("layer.requirements.txt")).unwrap();
    assert!(
        !lock.contains(PASSWORD) && !lock.contains(FIND_LINKS_PASSWORD),
        "{lock}"
    );
}

#[test]
fn cache_records_an_older_version_wrote_with_a_password_are_dropped_on_the_next_run() {
    let sb = Sandbox::new("old-secrets");
    let http = sb.dir.join("cache").join("http-v1").join("0a");
    std::fs::create_dir_all(&http).unwrap();
    let old = format!(
        "{{\"url\":\"{}app/\",\"etag\":null,\"last_modified\":null,\"content_type\":\"text/html\",\"fetched_at\":1}}",
        with_credentials(&sb.index.simple(), "me", PASSWORD)
    );
    std::fs::write(http.join("0a11.json"), old).unwrap();
    std::fs::write(http.join("0a11.body"), "<a href=x>x</a>").unwrap();
    let names = sb.dir.join("cache").join("names-v1-0123456789abcdef.json");
    std::fs::write(
        &names,
        format!(
            "{{\"url\":\"http://me:{PASSWORD}@127.0.0.1:9/simple/\",\"count\":0,\"fetched_at\":1}}"
        ),
    )
    .unwrap();
    let out = sb.build(["app", "-o", "out/layer.zip"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!http.join("0a11.json").exists() && !http.join("0a11.body").exists());
    assert!(!names.exists());
    let (holding, open) = leaks(&sb.dir.join("cache"), &[PASSWORD]);
    assert!(holding.is_empty(), "files holding a password: {holding:?}");
    assert!(open.is_empty(), "files readable by others: {open:?}");
}

#[test]
fn a_variable_in_a_requirements_file_is_read_from_the_environment() {
    let sb = Sandbox::new("env-var");
    sb.write("req.txt", "app==${APP_VERSION}\n");
    let mut cmd = sb.command(["build", "--runtime", "python3.12", "-r", "req.txt"]);
    cmd.args(["-o", "out/layer.zip"]).env("APP_VERSION", "1.0");
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lock = std::fs::read_to_string(sb.out().join("layer.requirements.txt")).unwrap();
    assert!(lock.contains("app==1.0"), "{lock}");
}

#[test]
fn an_unset_variable_in_a_requirements_file_is_an_error_naming_it() {
    let sb = Sandbox::new("env-unset");
    sb.write("req.txt", "# pinned\napp==${APP_VERSION_UNSET_HERE}\n");
    let mut cmd = sb.command(["build", "--runtime", "python3.12", "-r", "req.txt"]);
    cmd.args(["-o", "out/layer.zip"])
        .env_remove("APP_VERSION_UNSET_HERE");
    let out = cmd.output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("req.txt:2: ${APP_VERSION_UNSET_HERE} is not set; pip reads ${NAME} from the environment: set APP_VERSION_UNSET_HERE"),
        "{err}"
    );
    assert!(files_under(&sb.out()).is_empty());
}

#[test]
fn credentials_in_a_url_come_from_variables_reach_the_index_and_stay_off_the_disk() {
    let sb = Sandbox::new("env-url");
    let wheel = support::WheelBuilder::new("private", "1.0").build();
    sb.index.add_loose_wheel(&wheel);
    let url =
        sb.index
            .file_url(&wheel.filename)
            .replacen("http://", "http://${WB_USER}:${WB_TOKEN}@", 1);
    sb.write("req.txt", &format!("private @ {url}\n"));
    let mut cmd = sb.command(["build", "--runtime", "python3.12", "-r", "req.txt"]);
    cmd.args(["-o", "out/layer.zip"])
        .env("WB_USER", "me")
        .env("WB_TOKEN", PASSWORD);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // `me:Hunter2-S3CRET` in base64, as Basic authentication sends it.
    let expected = "Basic bWU6SHVudGVyMi1TM0NSRVQ=";
    let downloads: Vec<_> = sb
        .index
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/files/"))
        .collect();
    assert!(!downloads.is_empty());
    for r in &downloads {
        assert_eq!(r.authorization.as_deref(), Some(expected), "{r:?}");
    }
    let lock = std::fs::read_to_string(sb.out().join("layer.requirements.txt")).unwrap();
    assert!(
        !lock.contains(PASSWORD) && lock.contains("private @ http://127.0.0.1"),
        "{lock}"
    );
    let (holding, _) = leaks(&sb.dir.join("cache"), &[PASSWORD]);
    assert!(
        holding.is_empty(),
        "files holding the password: {holding:?}"
    );
}

#[test]
fn a_page_that_repeats_the_password_in_its_links_is_used_but_not_cached() {
    let sb = Sandbox::new("echo-secrets");
    let wheel = support::WheelBuilder::new("echo", "1.0").build();
    sb.index.add_loose_wheel(&wheel);
    let index_url = with_credentials(&sb.index.simple(), "me", PASSWORD);
    let link = with_credentials(&sb.index.file_url(&wheel.filename), "me", PASSWORD);
    sb.index.add_page(
        "/simple/echo/",
        &format!("<a href=\"{link}\">{}</a>", wheel.filename),
    );
    let built = run(
        &sb,
        &index_url,
        "",
        &[
            "build",
            "--runtime",
            "python3.12",
            "echo",
            "-o",
            "out/layer.zip",
        ],
    );
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let (holding, open) = leaks(&sb.dir.join("cache"), &[PASSWORD]);
    assert!(
        holding.is_empty(),
        "files holding the password: {holding:?}"
    );
    assert!(open.is_empty(), "files readable by others: {open:?}");
}
