//! Local wheels and find-links through the binary, as people write them: a relative path in a
//! requirements file (read from the current directory, as pip does), a `file://` URL on the
//! command line, `-f` in a requirements file (relative to the file), `PIP_FIND_LINKS`, and
//! `wheels` saying where a file came from.

mod support;

use support::WheelBuilder;
use support::cli::{Sandbox, stderr, stdout};

/// Writes a wheel into the sandbox at `rel` (a folder) and returns its file name.
fn put_wheel(sandbox: &Sandbox, rel: &str, wheel: &support::Wheel) -> std::path::PathBuf {
    let dir = sandbox.dir.join(rel);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(&wheel.filename);
    std::fs::write(&path, &wheel.bytes).unwrap();
    path
}

#[test]
fn a_relative_wheel_path_in_a_requirements_file_is_read_from_the_current_directory() {
    let sandbox = Sandbox::new("direct-rel");
    let mine = WheelBuilder::new("mine", "0.1")
        .requires_dist("app")
        .file("mine/__init__.py", b"Y = 2\n")
        .build();
    put_wheel(&sandbox, "dist", &mine);
    // The file is in sub/, the wheel in ./dist/: pip reads the path from the current
    // directory, not from the file's folder.
    let reqs = sandbox.write(
        "sub/requirements.txt",
        &format!("./dist/{}\n", mine.filename),
    );
    let out = sandbox.build([
        "-r".as_ref(),
        reqs.as_os_str(),
        "-o".as_ref(),
        sandbox.out().join("layer.zip").as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lock = std::fs::read_to_string(sandbox.out().join("layer.requirements.txt")).unwrap();
    let url = url_of(&sandbox.dir.join("dist").join(&mine.filename));
    assert!(
        lock.contains(&format!(
            "mine @ {url} \\\n    --hash=sha256:{}",
            mine.sha256
        )),
        "{lock}"
    );
    assert!(lock.contains("app==1.0"), "{lock}");
}

#[test]
fn a_file_url_on_the_command_line_resolves_and_a_missing_path_is_said_with_its_place() {
    let sandbox = Sandbox::new("direct-url");
    let mine = WheelBuilder::new("mine", "0.2").build();
    let path = put_wheel(&sandbox, "elsewhere", &mine);
    let out = sandbox
        .command(["resolve", "--runtime", "python3.12", "--json"])
        .arg(format!("mine @ {}", url_of(&path)))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let pkg = &json["packages"][0];
    assert_eq!(pkg["name"], "mine");
    assert_eq!(pkg["sha256"], mine.sha256.as_str());
    assert_eq!(pkg["source"]["kind"], "direct");

    let out = sandbox
        .command(["resolve", "--runtime", "python3.12"])
        .arg("./nowhere/mine-0.2-py3-none-any.whl")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("command line") && err.contains("is not there"),
        "{err}"
    );
}

#[test]
fn find_links_come_from_pip_find_links_from_f_lines_and_show_in_wheels() {
    let sandbox = Sandbox::new("direct-links");
    let helper = WheelBuilder::new("helper", "3.0").build();
    put_wheel(&sandbox, "wheels", &helper);
    let other = WheelBuilder::new("other", "1.5").build();
    put_wheel(&sandbox, "sub/local", &other);

    // PIP_FIND_LINKS, space-separated as pip reads it.
    let out = sandbox
        .command(["resolve", "--runtime", "python3.12", "helper", "app"])
        .env("PIP_FIND_LINKS", "wheels sub/local")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("helper-3.0-py3-none-any.whl"),
        "{}",
        stdout(&out)
    );

    // A -f line is relative to its file when the folder is there.
    let reqs = sandbox.write("sub/requirements.txt", "-f local\nother\n");
    let out = sandbox
        .command(["resolve", "--runtime", "python3.12"])
        .arg(format!("--requirement={}", reqs.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("other-1.5-py3-none-any.whl"),
        "{}",
        stdout(&out)
    );

    // A folder that is not there is an error naming the setting, not skipped.
    let out = sandbox
        .command(["resolve", "--runtime", "python3.12", "app"])
        .env("PIP_FIND_LINKS", "no-such-folder")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("PIP_FIND_LINKS") && err.contains("does not exist"),
        "{err}"
    );

    // `wheels` lists the find-links file and says where it came from.
    let out = sandbox
        .command([
            "wheels",
            "helper",
            "--runtime",
            "python3.12",
            "-f",
            "wheels",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("helper-3.0-py3-none-any.whl"), "{text}");
    assert!(text.contains("from find-links"), "{text}");
}

fn url_of(path: &std::path::Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}
