//! Messages that keep their subject: the file, the setting, the reason. Each case is one a
//! user met with the subject missing ("builder error", a TOML error with no reason, an empty
//! layer built with a publish command).

mod support;

use support::WheelBuilder;
use support::cli::{Sandbox, files_under, stderr};

#[test]
fn a_bad_certificate_file_is_named_with_the_setting_and_the_reason() {
    let sb = Sandbox::new("bad-cert");
    let pem = sb.write(
        "bad.pem",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    let out = sb
        .command(["resolve", "app", "--runtime", "python3.12"])
        .env("SSL_CERT_FILE", &pem)
        .env_remove("REQUESTS_CA_BUNDLE")
        .env_remove("PIP_CERT")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "cannot set up HTTPS with the certificates from SSL_CERT_FILE ({})",
            pem.display()
        )),
        "{err}"
    );
    assert!(!err.contains("builder error"), "{err}");
}

#[test]
fn a_pyproject_that_is_not_toml_is_refused_with_the_line_and_the_reason() {
    let sb = Sandbox::new("toml");
    sb.write("pyproject.toml", "[project\ndependencies = [\"app\"]\n");
    let out = sb
        .command(["resolve", "--runtime", "python3.12", "-r", "pyproject.toml"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("pyproject.toml: is not valid TOML at line 1: unclosed table"),
        "{err}"
    );
}

#[test]
fn a_file_url_as_the_index_is_refused_in_words() {
    let sb = Sandbox::new("file-url");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(["resolve", "app", "--runtime", "python3.12"])
        .args(["--index-url", "file:///srv/wheels/"])
        .env("WHEELBARROW_CACHE_DIR", sb.dir.join("cache"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_FIND_LINKS")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "'file:///srv/wheels/' is a file:// URL; wheelbarrow reads indexes over HTTP(S)"
        ),
        "{err}"
    );
}

#[test]
fn an_empty_layer_is_refused_with_exit_status_2_and_no_publish_script() {
    let sb = Sandbox::new("empty");
    sb.index.add_wheel(
        &WheelBuilder::new("bytecode", "1.0")
            .file("bytecode/__pycache__/m.cpython-312.pyc", b"\x00")
            .build(),
    );
    let out = sb.build(["bytecode", "-o", "out/layer.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("refusing to build an empty layer: every file of its wheels but their metadata is trimmed away"),
        "{err}"
    );
    assert!(
        !out.stdout.windows(3).any(|w| w == b"aws"),
        "no publish command"
    );
    assert!(
        files_under(&sb.out()).is_empty(),
        "{:?}",
        files_under(&sb.out())
    );
}

#[test]
fn a_layer_whose_every_package_is_excluded_is_refused_with_exit_status_2() {
    let sb = Sandbox::new("all-excluded");
    sb.index
        .add_wheel(&WheelBuilder::new("boto3", "1.35.0").build());
    let out = sb.build(["boto3", "--exclude-runtime-provided", "-o", "out/layer.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "refusing to build an empty layer: every package of the resolution is left out"
        ),
        "{err}"
    );
    assert!(
        files_under(&sb.out()).is_empty(),
        "{:?}",
        files_under(&sb.out())
    );
}

#[test]
fn a_requires_dist_the_pep508_parser_would_panic_on_is_an_error_not_a_crash() {
    let sb = Sandbox::new("pep508-panic");
    sb.index.add_wheel(
        &WheelBuilder::new("hostile", "1.0")
            .requires_dist("numpy./local.whl)>=")
            .build(),
    );
    let out = sb
        .command(["resolve", "hostile", "--runtime", "python3.12"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("a Requires-Dist that does not parse (numpy./local.whl)>=)"),
        "{err}"
    );
}
