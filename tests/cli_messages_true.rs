//! Messages whose words were false or gave no way forward, each with its exact text now: a
//! connection refused at a URL that happens to hold "alert" is not a TLS failure; sizes an
//! index does not give are unknown, not 0 B; a zip just over the direct-upload limit is said in
//! bytes; a missing zip is said as missing; a reserve that leaves nothing is refused; a
//! trailing comma in `--runtime` is one runtime.

mod support;

use support::cli::{Sandbox, stderr, stdout};
use support::{IndexOptions, SimpleFormat, TestIndex, WheelBuilder};

/// A port that was free a moment ago: nothing answers there.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_refused_connection_at_a_url_holding_alert_is_not_called_a_tls_failure() {
    let sb = Sandbox::new("msg-alert");
    let url = format!("http://127.0.0.1:{}/alert(1)/ssl/simple/", closed_port());
    let out = sb
        .offline([
            "resolve",
            "app",
            "--runtime",
            "python3.12",
            "--index-url",
            &url,
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: could not reach 127.0.0.1: "),
        "{err}"
    );
    assert!(!err.contains("TLS"), "{err}");
}

#[test]
fn a_javascript_link_is_refused_as_a_link_not_as_a_tls_or_network_failure() {
    let sb = Sandbox::new("msg-javascript");
    let page = sb.index.add_page(
        "/links/",
        r#"<html><body><a href="javascript:alert(1)">app-2.0-py3-none-any.whl</a></body></html>"#,
    );
    let out = sb.build(["app==2.0", "-f", &page, "-o", "out/l.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("javascript:"), "{err}");
    assert!(!err.contains("TLS"), "{err}");
    assert!(!err.contains("Check the network"), "{err}");
    assert!(!sb.out().join("l.zip").exists());
}

#[test]
fn sizes_a_pep_503_index_does_not_give_are_unknown_not_zero() {
    let index = TestIndex::start(IndexOptions {
        simple: SimpleFormat::HtmlOnly,
        ..IndexOptions::default()
    });
    index.add_wheel(
        &WheelBuilder::new("app", "1.0")
            .file("app/__init__.py", b"X = 1\n")
            .build(),
    );
    let sb = Sandbox::new("msg-sizes");
    let out = sb
        .offline(["resolve", "app", "--runtime", "python3.12"])
        .args(["--index-url", &index.simple()])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text.contains("Wheels to download: 1 wheel of unknown size (the index gives no sizes)."),
        "{text}"
    );
    assert!(!text.contains("0 B"), "{text}");
}

#[test]
fn a_reserve_of_the_whole_limit_or_more_is_refused_with_the_limit_in_bytes() {
    let sb = Sandbox::new("msg-reserve");
    for mb in ["250", "251", "99999999999999"] {
        let out = sb.build(["app", "-o", "out/l.zip", "--reserve-mb", mb]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(
            err,
            format!(
                "error: --reserve-mb {mb}: a reserve of {mb} MB is not less than the 250.0 MB (262,144,000 bytes) Lambda allows unzipped for the function and all its layers, so nothing would be left for this layer; keep less than 250 MB\n"
            )
        );
        assert!(!sb.out().join("l.zip").exists());
    }
    let out = sb.build(["app", "-o", "out/l.zip", "--reserve-mb", "249"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_trailing_comma_in_runtime_is_one_runtime_built_as_one() {
    let sb = Sandbox::new("msg-comma");
    let out = sb
        .command([
            "build",
            "app",
            "--runtime",
            "python3.12,",
            "-o",
            "out/l.zip",
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!text.contains("each in its own site-packages"), "{text}");
    assert!(!text.contains("One zip for"), "{text}");
    let out = sb
        .command(["build", "app", "--runtime", " , ", "-o", "out/m.zip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "--runtime \" , \" names no runtime: give one (python3.12) or several, comma-separated"
        ),
        "{}",
        stderr(&out)
    );
}

#[cfg(feature = "publish")]
#[test]
fn publishing_a_zip_that_is_not_there_says_so_and_what_makes_one() {
    let sb = Sandbox::new("msg-publish-missing");
    let out = sb
        .offline(["publish", "missing.zip", "--layer-name", "demo"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(
        err,
        "error: missing.zip does not exist: give the path of the layer zip to publish (`wheelbarrow build REQ... -o LAYER.zip` writes one)\n"
    );
    assert!(!err.contains("--compatible-runtimes"), "{err}");
}
