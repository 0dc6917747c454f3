//! Settings and requirement options that used to fall back in silence: each is honoured as pip
//! does or refused in words (exit 2, before the index is asked anything).

mod support;

use support::WheelBuilder;
use support::cli::{Sandbox, stderr, stdout};

fn assert_refused_before_any_request(sb: &Sandbox, out: &std::process::Output, words: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(words), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(sb.index.requests().is_empty(), "{:?}", sb.index.requests());
}

#[test]
fn a_timeout_that_is_not_a_finite_number_in_range_is_refused_with_the_range() {
    let sb = Sandbox::new("timeout");
    for bad in ["inf", "1e30", "0", "-1", "NaN"] {
        let out = sb
            .command(["resolve", "app", "--runtime", "python3.12"])
            .env("WHEELBARROW_TIMEOUT", bad)
            .output()
            .unwrap();
        assert_refused_before_any_request(
            &sb,
            &out,
            &format!(
                "WHEELBARROW_TIMEOUT={bad} is out of range; give a number of seconds from 0.1 to 3600"
            ),
        );
    }
}

#[test]
fn a_malformed_pip_config_file_is_refused_with_its_path_and_line() {
    let sb = Sandbox::new("pipconf");
    let conf = sb.write(
        "pip.conf",
        "[global]\nindex-url https//elsewhere.test/simple\n",
    );
    let out = sb
        .command(["resolve", "app", "--runtime", "python3.12"])
        .env("PIP_CONFIG_FILE", &conf)
        .output()
        .unwrap();
    assert_refused_before_any_request(
        &sb,
        &out,
        &format!(
            "pip configuration {} line 2: 'index-url https//elsewhere.test/simple' is neither",
            conf.display()
        ),
    );
    let out = sb
        .command(["resolve", "app", "--runtime", "python3.12"])
        .env("PIP_CONFIG_FILE", sb.dir.join("missing.conf"))
        .output()
        .unwrap();
    assert_refused_before_any_request(&sb, &out, "missing.conf, which does not exist");
}

#[test]
fn an_extra_index_is_refused_naming_the_dependency_confusion_risk() {
    let sb = Sandbox::new("extra-index");
    let out = sb
        .command(["resolve", "app", "--runtime", "python3.12"])
        .env("PIP_EXTRA_INDEX_URL", "https://other.test/simple/")
        .output()
        .unwrap();
    assert_refused_before_any_request(
        &sb,
        &out,
        "PIP_EXTRA_INDEX_URL adds https://other.test/simple/ as an extra index; wheelbarrow reads one index only",
    );
    assert!(stderr(&out).contains("dependency-confusion"));
    let conf = sb.write(
        "pip.conf",
        "[global]\nextra-index-url =\n    https://a.test/simple\n",
    );
    let out = sb
        .command(["resolve", "app", "--runtime", "python3.12"])
        .env("PIP_CONFIG_FILE", &conf)
        .output()
        .unwrap();
    assert_refused_before_any_request(&sb, &out, "extra-index-url in");
}

#[test]
fn a_proxy_variable_that_is_not_a_url_is_refused_naming_the_variable() {
    let sb = Sandbox::new("proxy");
    let out = sb
        .command(["resolve", "app", "--runtime", "python3.12"])
        .env("HTTPS_PROXY", "not a proxy")
        .output()
        .unwrap();
    assert_refused_before_any_request(&sb, &out, "HTTPS_PROXY=\"not a proxy\" is not a proxy URL");
}

fn resolved_version(out: &std::process::Output, project: &str) -> String {
    let json: serde_json::Value =
        serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)));
    let packages = json["packages"].as_array().expect("packages");
    let found = packages
        .iter()
        .find(|p| p["name"] == project)
        .expect(project);
    found["version"].as_str().unwrap().to_string()
}

#[test]
fn pre_in_a_requirements_file_lets_pre_releases_be_chosen_as_pip_does() {
    let sb = Sandbox::new("pre");
    sb.index
        .add_wheel(&WheelBuilder::new("app", "2.0rc1").build());
    sb.write("plain.txt", "app\n");
    let out = sb
        .command([
            "resolve",
            "--runtime",
            "python3.12",
            "--json",
            "-r",
            "plain.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(resolved_version(&out, "app"), "1.0");
    sb.write("pre.txt", "--pre\napp\n");
    let out = sb
        .command([
            "resolve",
            "--runtime",
            "python3.12",
            "--json",
            "-r",
            "pre.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(resolved_version(&out, "app"), "2.0rc1");
}

#[test]
fn a_byte_order_mark_at_the_start_of_a_requirements_file_is_read_as_nothing() {
    let sb = Sandbox::new("bom");
    sb.write("reqs.txt", "\u{feff}app==1.0\n");
    let out = sb
        .command([
            "resolve",
            "--runtime",
            "python3.12",
            "--json",
            "-r",
            "reqs.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(resolved_version(&out, "app"), "1.0");
}

#[test]
fn no_binary_and_unknown_options_in_a_requirements_file_are_refused_with_the_line() {
    let sb = Sandbox::new("no-binary");
    for (text, words) in [
        (
            "--no-binary :all:\napp\n",
            "reqs.txt:1: '--no-binary :all:' asks for every package to be built from source",
        ),
        (
            "app\n--trusted-host example.test\n",
            "reqs.txt:2: the option '--trusted-host example.test' is not one wheelbarrow can honour",
        ),
    ] {
        sb.write("reqs.txt", text);
        let out = sb
            .command(["resolve", "--runtime", "python3.12", "-r", "reqs.txt"])
            .output()
            .unwrap();
        assert_refused_before_any_request(&sb, &out, words);
    }
}

#[test]
fn an_extra_the_project_does_not_provide_is_refused_in_words() {
    let sb = Sandbox::new("extra");
    let out = sb
        .command(["resolve", "app[nosuch]", "--runtime", "python3.12"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("does not provide the extra 'nosuch' (it declares none)"),
        "{err}"
    );
}
