//! The test support itself: wheels that pip would read, and an index that answers like one.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::{
    FileOptions, IndexOptions, SimpleFormat, TestIndex, UrlStyle, WheelBuilder, get, request,
    sdist_bytes, sha256_hex, urlsafe_b64_nopad,
};

const SIMPLE_JSON: &str = "application/vnd.pypi.simple.v1+json";

fn read_member(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn demo_index(options: IndexOptions) -> (TestIndex, support::Wheel) {
    let index = TestIndex::start(options);
    let wheel = WheelBuilder::new("Demo-Pkg", "1.2.0")
        .requires_python(">=3.8")
        .requires_dist("idna>=3")
        .build();
    index.add_wheel(&wheel);
    (index, wheel)
}

#[test]
fn a_built_wheel_opens_as_a_zip_and_its_record_hashes_match() {
    let builder = WheelBuilder::new("my-pkg", "0.3.1")
        .tag("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")
        .build_tag("7")
        .requires_dist("requests>=2")
        .requires_dist("idna; extra == \"x\"")
        .requires_python(">=3.9")
        .summary("Hello")
        .file("my_pkg/__init__.py", b"x = 1\n")
        .file("my_pkg/data,with comma.txt", &[0u8; 300]);
    let wheel = builder.clone().build();
    assert_eq!(
        wheel.filename,
        "my_pkg-0.3.1-7-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    );
    assert_eq!(wheel.sha256, sha256_hex(&wheel.bytes));
    assert_eq!(builder.build().bytes, wheel.bytes, "same input, same bytes");

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(wheel.bytes.as_slice())).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    assert_eq!(
        archive.by_index(archive.len() - 1).unwrap().name().unwrap(),
        "my_pkg-0.3.1.dist-info/RECORD"
    );
    assert_eq!(names.len(), 5, "{names:?}");

    let metadata = read_member(&mut archive, "my_pkg-0.3.1.dist-info/METADATA");
    assert_eq!(String::from_utf8(metadata).unwrap(), wheel.metadata);
    assert!(
        wheel
            .metadata
            .contains("Metadata-Version: 2.1\nName: my-pkg\nVersion: 0.3.1\n")
    );
    assert!(wheel.metadata.contains("Requires-Python: >=3.9\n"));
    assert!(
        wheel
            .metadata
            .contains("Requires-Dist: idna; extra == \"x\"\n")
    );
    let wheel_file =
        String::from_utf8(read_member(&mut archive, "my_pkg-0.3.1.dist-info/WHEEL")).unwrap();
    assert!(wheel_file.contains("Root-Is-Purelib: false\n"));
    assert!(wheel_file.contains("Tag: cp312-cp312-manylinux2014_x86_64\n"));
    assert!(wheel_file.contains("Build: 7\n"));

    let record =
        String::from_utf8(read_member(&mut archive, "my_pkg-0.3.1.dist-info/RECORD")).unwrap();
    let mut checked = 0;
    for line in record.lines() {
        // Paths with a comma are quoted; the hash and size never contain one.
        let mut fields = line.rsplitn(3, ',');
        let (size, hash, path) = (
            fields.next().unwrap(),
            fields.next().unwrap(),
            fields.next().unwrap(),
        );
        let path = path.trim_matches('"');
        if path.ends_with("/RECORD") {
            assert_eq!((hash, size), ("", ""));
            continue;
        }
        let data = read_member(&mut archive, path);
        let digest = <sha2::Sha256 as sha2::Digest>::digest(&data);
        assert_eq!(
            hash,
            format!("sha256={}", urlsafe_b64_nopad(&digest)),
            "{path}"
        );
        assert_eq!(size, data.len().to_string(), "{path}");
        checked += 1;
    }
    assert_eq!(checked, 4, "{record}");
}

#[test]
fn a_default_wheel_is_pure_has_an_init_and_can_be_stored_or_hostile() {
    let wheel = WheelBuilder::new("Foo-Bar", "1.0").build();
    assert_eq!(wheel.filename, "Foo_Bar-1.0-py3-none-any.whl");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(wheel.bytes.as_slice())).unwrap();
    assert!(!read_member(&mut archive, "foo_bar/__init__.py").is_empty());
    let wheel_file = read_member(&mut archive, "Foo_Bar-1.0.dist-info/WHEEL");
    assert!(
        String::from_utf8(wheel_file)
            .unwrap()
            .contains("Root-Is-Purelib: true\n")
    );

    let hostile = WheelBuilder::new("evil", "1")
        .stored()
        .raw_entry("../escape.py", b"boom")
        .build();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(hostile.bytes.as_slice())).unwrap();
    assert_eq!(
        archive.by_name("../escape.py").unwrap().compression(),
        zip::CompressionMethod::Stored
    );
    let record = read_member(&mut archive, "evil-1.dist-info/RECORD");
    assert!(!String::from_utf8(record).unwrap().contains("escape"));

    let (name, bytes) = sdist_bytes("Foo.Bar", "2.0");
    assert_eq!(name, "foo_bar-2.0.tar.gz");
    assert_eq!(&bytes[..2], &[0x1f, 0x8b]);
}

#[test]
fn the_json_api_returns_the_registered_file_with_its_sha256() {
    let (index, wheel) = demo_index(IndexOptions::default());
    let older = WheelBuilder::new("Demo-Pkg", "1.10.0rc1").build();
    index.add_wheel(&older);
    let (sdist_name, sdist) = sdist_bytes("Demo-Pkg", "1.2.0");
    index.add_file(
        "demo-pkg",
        "1.2.0",
        FileOptions::default(),
        &sdist_name,
        sdist,
    );

    // A non-normalised name works too.
    let r = get(&format!("{}/Demo_Pkg/json", index.json_api()));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let doc = r.json();
    assert_eq!(doc["info"]["name"], "Demo-Pkg");
    assert_eq!(
        doc["info"]["version"], "1.2.0",
        "final releases beat pre-releases"
    );
    assert_eq!(doc["info"]["requires_python"], ">=3.8");
    assert_eq!(doc["info"]["requires_dist"], serde_json::json!(["idna>=3"]));
    assert_eq!(doc["vulnerabilities"], serde_json::json!([]));
    let urls = doc["urls"].as_array().unwrap();
    assert_eq!(urls.len(), 2);
    let file = &urls[0];
    assert_eq!(file["filename"], wheel.filename.as_str());
    assert_eq!(file["digests"]["sha256"], wheel.sha256.as_str());
    assert_eq!(file["size"], wheel.bytes.len());
    assert_eq!(file["packagetype"], "bdist_wheel");
    assert_eq!(file["python_version"], "py3");
    assert_eq!(file["yanked"], false);
    assert_eq!(urls[1]["packagetype"], "sdist");
    assert_eq!(file["url"], index.file_url(&wheel.filename).as_str());
    assert_eq!(get(file["url"].as_str().unwrap()).body, wheel.bytes);
    let releases = doc["releases"].as_object().unwrap();
    assert_eq!(releases.keys().collect::<Vec<_>>(), ["1.10.0rc1", "1.2.0"]);

    let version = get(&format!("{}/demo-pkg/1.10.0rc1/json", index.json_api())).json();
    assert_eq!(version["info"]["version"], "1.10.0rc1");
    assert_eq!(version["info"]["requires_dist"], serde_json::Value::Null);
    assert!(version.get("releases").is_none());

    index.yank(&wheel.filename, "broken");
    index.yank(&sdist_name, "");
    let doc = get(&format!("{}/demo-pkg/json", index.json_api())).json();
    assert_eq!(
        doc["info"]["version"], "1.10.0rc1",
        "yanked versions are skipped"
    );
    let yanked = &doc["releases"]["1.2.0"][0];
    assert_eq!(
        (&yanked["yanked"], &yanked["yanked_reason"]),
        (&true.into(), &"broken".into())
    );

    let missing = get(&format!("{}/nope/json", index.json_api()));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json(), serde_json::json!({"message": "Not Found"}));
}

#[test]
fn relative_urls_are_relative_to_the_document() {
    let (index, wheel) = demo_index(IndexOptions {
        url_style: UrlStyle::Relative,
        ..IndexOptions::default()
    });
    let expected = format!("../../files/{}", wheel.filename);
    let doc = get(&format!("{}/demo-pkg/json", index.json_api())).json();
    assert_eq!(doc["urls"][0]["url"], expected.as_str());
    let doc = get(&format!("{}/demo-pkg/1.2.0/json", index.json_api())).json();
    assert_eq!(doc["urls"][0]["url"], format!("../{expected}").as_str());
    let simple = request(
        "GET",
        &format!("{}demo-pkg/", index.simple()),
        &[("Accept", SIMPLE_JSON)],
    );
    assert_eq!(simple.header("content-type"), Some(SIMPLE_JSON));
    assert_eq!(simple.json()["files"][0]["url"], expected.as_str());

    // `/simple/demo-pkg/` + `../../files/x` is `/files/x`.
    let resolved = format!("{}/{}", index.url(), expected.trim_start_matches("../../"));
    assert_eq!(get(&resolved).body, wheel.bytes);
}

#[test]
fn a_range_request_returns_206_with_the_slice_and_content_range() {
    let (index, wheel) = demo_index(IndexOptions::default());
    let url = index.file_url(&wheel.filename);
    let len = wheel.bytes.len();

    let r = request("GET", &url, &[("Range", "bytes=10-19")]);
    assert_eq!(r.status, 206);
    assert_eq!(r.body, &wheel.bytes[10..20]);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 10-19/{len}").as_str())
    );
    assert_eq!(r.header("accept-ranges"), Some("bytes"));

    let r = request("GET", &url, &[("Range", "bytes=-22")]);
    assert_eq!(
        (r.status, r.body.as_slice()),
        (206, &wheel.bytes[len - 22..])
    );
    let r = request("GET", &url, &[("Range", &format!("bytes={}-", len - 5))]);
    assert_eq!(
        (r.status, r.body.as_slice()),
        (206, &wheel.bytes[len - 5..])
    );
    let r = request("GET", &url, &[("Range", &format!("bytes={len}-"))]);
    assert_eq!(r.status, 416);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes */{len}").as_str())
    );

    let head = request("HEAD", &url, &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(len.to_string().as_str())
    );
    assert!(head.body.is_empty());

    let log = index.requests();
    assert_eq!(log[0].range.as_deref(), Some("bytes=10-19"));
    assert_eq!((log[0].status, log[0].body_bytes), (206, 10));
    assert_eq!((log[4].method.as_str(), log[4].body_bytes), ("HEAD", 0));
}

#[test]
fn without_range_support_the_whole_body_comes_back_with_200() {
    let (index, wheel) = demo_index(IndexOptions {
        range_requests: false,
        ..IndexOptions::default()
    });
    let r = request(
        "GET",
        &index.file_url(&wheel.filename),
        &[("Range", "bytes=0-9")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body, wheel.bytes);
    assert_eq!(r.header("accept-ranges"), None);
    assert_eq!(r.header("content-range"), None);
}

#[test]
fn the_html_simple_page_escapes_requires_python_and_advertises_metadata() {
    let (index, wheel) = demo_index(IndexOptions {
        simple: SimpleFormat::HtmlOnly,
        ..IndexOptions::default()
    });
    index.yank(&wheel.filename, "bad <build>");
    // HtmlOnly answers HTML even when JSON is asked for.
    let r = request(
        "GET",
        &format!("{}Demo.Pkg/", index.simple()),
        &[("Accept", SIMPLE_JSON)],
    );
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = r.text();
    let metadata_sha = sha256_hex(wheel.metadata.as_bytes());
    let anchor = format!(
        "<a href=\"{}#sha256={}\" data-requires-python=\"&gt;=3.8\" \
         data-dist-info-metadata=\"sha256={metadata_sha}\" \
         data-core-metadata=\"sha256={metadata_sha}\" \
         data-yanked=\"bad &lt;build&gt;\">{}</a><br/>",
        index.file_url(&wheel.filename),
        wheel.sha256,
        wheel.filename
    );
    assert!(html.contains(&anchor), "{html}");

    let metadata = get(&format!("{}.metadata", index.file_url(&wheel.filename)));
    assert_eq!(metadata.text(), wheel.metadata);

    let root = get(&index.simple()).text();
    assert!(
        root.contains("<a href=\"/simple/demo-pkg/\">Demo-Pkg</a>"),
        "{root}"
    );
    let redirect = get(&format!("{}demo-pkg", index.simple()));
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/simple/demo-pkg/"));
}

#[test]
fn the_json_simple_api_is_negotiated_and_can_lie_about_hashes() {
    let (index, wheel) = demo_index(IndexOptions {
        metadata_files: false,
        ..IndexOptions::default()
    });
    let project = format!("{}demo-pkg/", index.simple());
    let accept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";
    let doc = request("GET", &project, &[("Accept", accept)]).json();
    assert_eq!(doc["meta"]["api-version"], "1.1");
    assert_eq!(doc["name"], "demo-pkg");
    assert_eq!(doc["versions"], serde_json::json!(["1.2.0"]));
    let file = &doc["files"][0];
    assert_eq!(file["hashes"]["sha256"], wheel.sha256.as_str());
    assert_eq!(file["requires-python"], ">=3.8");
    assert_eq!(file["yanked"], false);
    assert!(file.get("core-metadata").is_none());
    let metadata = get(&format!("{}.metadata", index.file_url(&wheel.filename)));
    assert_eq!(metadata.status, 404);

    let html = request("GET", &project, &[("Accept", "*/*")]);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );

    index.wrong_sha256(&wheel.filename);
    let doc = request("GET", &project, &[("Accept", SIMPLE_JSON)]).json();
    let advertised = doc["files"][0]["hashes"]["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(advertised, wheel.sha256);
    let api = get(&format!("{}/demo-pkg/json", index.json_api())).json();
    assert_eq!(api["urls"][0]["digests"]["sha256"], advertised.as_str());
    assert!(
        get(&project)
            .text()
            .contains(&format!("#sha256={advertised}"))
    );
    assert_eq!(get(&index.file_url(&wheel.filename)).body, wheel.bytes);
}

#[test]
fn fail_next_yields_the_status_then_recovers() {
    let (index, _) = demo_index(IndexOptions::default());
    let url = format!("{}/demo-pkg/json", index.json_api());
    index.fail_next("/pypi/demo-pkg", 2, 429, Some(3));
    let first = get(&url);
    assert_eq!(first.status, 429);
    assert_eq!(first.header("retry-after"), Some("3"));
    assert_eq!(get(&url).status, 429);
    assert_eq!(
        get(&index.simple()).status,
        200,
        "other paths are untouched"
    );
    assert_eq!(get(&url).status, 200);

    index.fail_next("/pypi/", 1, 503, None);
    assert_eq!(get(&url).status, 503);
    assert_eq!(get(&url).status, 200);

    let statuses: Vec<u16> = index.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 429, 200, 200, 503, 200]);
    index.clear_log();
    assert!(index.requests().is_empty());
}

#[test]
fn if_none_match_with_the_etag_gets_304() {
    let (index, wheel) = demo_index(IndexOptions::default());
    let url = format!("{}/demo-pkg/json", index.json_api());
    let first = get(&url);
    let etag = first.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'));
    let last_modified = first.header("last-modified").unwrap().to_owned();

    let again = request("GET", &url, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let since = request("GET", &url, &[("If-Modified-Since", &last_modified)]);
    assert_eq!(since.status, 304);
    let stale = request("GET", &url, &[("If-None-Match", "\"other\"")]);
    assert_eq!(stale.status, 200);

    // A change to the project changes the representation.
    index.set_summary("demo-pkg", "Now with a summary");
    let changed = request("GET", &url, &[("If-None-Match", &etag)]);
    assert_eq!(changed.status, 200);
    assert_eq!(changed.json()["info"]["summary"], "Now with a summary");
    assert_eq!(
        index.requests()[1].if_none_match.as_deref(),
        Some(etag.as_str())
    );

    let plain = TestIndex::start(IndexOptions {
        validators: false,
        ..IndexOptions::default()
    });
    plain.add_wheel(&wheel);
    let url = plain.file_url(&wheel.filename);
    let r = request("GET", &url, &[("If-None-Match", "*")]);
    assert_eq!(r.status, 200);
    assert_eq!((r.header("etag"), r.header("last-modified")), (None, None));
}

#[test]
fn dropped_delayed_and_malformed_answers_behave() {
    let (index, wheel) = demo_index(IndexOptions::default());
    let url = format!("{}/demo-pkg/json", index.json_api());

    index.drop_next("/pypi/", 1);
    let mut stream = TcpStream::connect(index.url().trim_start_matches("http://")).unwrap();
    stream
        .write_all(b"GET /pypi/demo-pkg/json HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    assert!(answer.is_empty(), "dropped without an answer");
    assert_eq!(index.requests()[0].status, 0);

    index.malformed("/pypi/");
    let garbled = get(&url);
    assert_eq!(garbled.status, 200);
    assert_eq!(garbled.header("content-type"), Some("application/json"));
    assert!(serde_json::from_slice::<serde_json::Value>(&garbled.body).is_err());
    index.clear_faults();
    assert_eq!(get(&url).status, 200);

    index.delay("/files/", Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(get(&index.file_url(&wheel.filename)).status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // A long delay ends, unanswered, when the index is dropped.
    index.delay("/files/", Duration::from_secs(60));
    let file_url = index.file_url(&wheel.filename);
    let waiter = std::thread::spawn(move || {
        let addr = file_url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /files/x HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        answer
    });
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    drop(index);
    assert!(waiter.join().unwrap().is_empty());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn connections_are_kept_alive_and_odd_input_gets_400() {
    let (index, _) = demo_index(IndexOptions::default());
    let addr = index.url().trim_start_matches("http://").to_owned();

    // Two pipelined requests on one connection, the second asking to close.
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .write_all(
            b"GET /simple/ HTTP/1.1\r\nHost: x\r\n\r\n\
              HEAD /pypi/demo-pkg/json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    assert_eq!(raw.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{raw}");

    for junk in [
        &b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
    ] {
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream.write_all(junk).unwrap();
        let mut raw = String::new();
        let _ = stream.read_to_string(&mut raw);
        assert!(raw.starts_with("HTTP/1.1 400 "), "{raw}");
    }
    let r = request("POST", &index.simple(), &[]);
    assert_eq!(r.status, 405);
    assert_eq!(get(&format!("{}/nowhere", index.url())).status, 404);
    assert_eq!(get(&index.simple()).status, 200, "still serving");
}
