//! The simple API: PEP 691 JSON and PEP 503 HTML pages, chosen by content negotiation.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::super::wheel::{normalize, sha256_hex};
use super::faults::advertised_sha;
use super::http::Request;
use super::response::Response;
use super::util::{escape, iso8601, modified, url_for};
use super::versions::{files_in_version_order, sorted_versions};
use super::{Shared, SimpleFormat, State, StoredFile, UrlStyle};

/// Which flavour of the simple API to answer with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Json,
    HtmlV1,
    TextHtml,
}

const SIMPLE_JSON: &str = "application/vnd.pypi.simple.v1+json";
const SIMPLE_HTML: &str = "application/vnd.pypi.simple.v1+html";

fn negotiate(format: SimpleFormat, accept: Option<&str>) -> Flavour {
    let Some(accept) = accept.filter(|_| format != SimpleFormat::HtmlOnly) else {
        return Flavour::TextHtml;
    };
    let (mut json_q, mut v1_html_q, mut text_html_q, mut wildcard_q) =
        (None::<f32>, None::<f32>, None::<f32>, None::<f32>);
    for item in accept.split(',') {
        let mut params = item.split(';');
        let media = params
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let q = params
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let slot = match media.as_str() {
            SIMPLE_JSON | "application/vnd.pypi.simple.latest+json" => &mut json_q,
            SIMPLE_HTML | "application/vnd.pypi.simple.latest+html" => &mut v1_html_q,
            "text/html" => &mut text_html_q,
            "text/*" | "*/*" => &mut wildcard_q,
            _ => continue,
        };
        *slot = Some(slot.map_or(q, |old| old.max(q)));
    }
    let html_q = [v1_html_q, text_html_q, wildcard_q]
        .into_iter()
        .flatten()
        .fold(0.0_f32, f32::max);
    if let Some(json_q) = json_q.filter(|q| *q > 0.0) {
        let wins = match format {
            SimpleFormat::Json => json_q >= html_q,
            _ => json_q > html_q,
        };
        if wins {
            return Flavour::Json;
        }
    }
    match (v1_html_q, text_html_q) {
        (Some(v1), text) if v1 > 0.0 && v1 >= text.unwrap_or(0.0) => Flavour::HtmlV1,
        _ => Flavour::TextHtml,
    }
}

fn html_content_type(flavour: Flavour) -> &'static str {
    if flavour == Flavour::HtmlV1 {
        SIMPLE_HTML
    } else {
        "text/html; charset=utf-8"
    }
}

pub(super) fn simple_root(shared: &Shared, state: &State, req: &Request) -> Response {
    let flavour = negotiate(shared.options.simple, req.header("accept").as_deref());
    let mut r = if flavour == Flavour::Json {
        let projects: Vec<Value> = state
            .projects
            .values()
            .map(|p| json!({"name": p.name}))
            .collect();
        let doc = json!({
            "meta": {"api-version": "1.1", "_last-serial": state.serial},
            "projects": projects,
        });
        Response::ok(
            SIMPLE_JSON,
            doc.to_string().into_bytes(),
            modified(state.serial),
        )
    } else {
        let mut html = String::from(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" \
             content=\"1.1\">\n<title>Simple index</title>\n</head>\n<body>\n",
        );
        for (norm, p) in &state.projects {
            let href = match shared.options.url_style {
                UrlStyle::Absolute => format!("/simple/{norm}/"),
                UrlStyle::Relative => format!("{norm}/"),
            };
            let _ = writeln!(
                html,
                "<a href=\"{}\">{}</a>",
                escape(&href),
                escape(&p.name)
            );
        }
        html.push_str("</body>\n</html>\n");
        Response::ok(
            html_content_type(flavour),
            html.into_bytes(),
            modified(state.serial),
        )
    };
    r.header("Vary", "Accept".to_owned());
    r
}

pub(super) fn simple_project(
    shared: &Shared,
    state: &State,
    project: &str,
    req: &Request,
) -> Response {
    let Some(p) = state.projects.get(&normalize(project)) else {
        return Response::not_found();
    };
    let flavour = negotiate(shared.options.simple, req.header("accept").as_deref());
    let versions = sorted_versions(p);
    let files = files_in_version_order(p, &versions);
    let metadata_sha = |f: &StoredFile| {
        f.options
            .metadata
            .as_deref()
            .filter(|_| shared.options.metadata_files)
            .map(|m| sha256_hex(m.as_bytes()))
    };
    let body = if flavour == Flavour::Json {
        let files: Vec<Value> = files
            .iter()
            .map(|f| simple_json_file(state, f, &url_for(shared, 2, &f.filename), metadata_sha(f)))
            .collect();
        let doc = json!({
            "meta": {
                "api-version": state.api_version.as_deref().unwrap_or("1.1"),
                "_last-serial": p.serial,
            },
            "name": normalize(&p.name),
            "files": files,
            "versions": versions,
        });
        doc.to_string()
    } else {
        let mut html = format!(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" \
             content=\"1.1\">\n<title>Links for {0}</title>\n</head>\n<body>\n\
             <h1>Links for {0}</h1>\n",
            escape(&p.name)
        );
        for f in &files {
            html.push_str(&simple_html_anchor(
                state,
                f,
                &url_for(shared, 2, &f.filename),
                metadata_sha(f),
            ));
        }
        html.push_str("</body>\n</html>\n");
        html
    };
    let content_type = if flavour == Flavour::Json {
        SIMPLE_JSON
    } else {
        html_content_type(flavour)
    };
    let mut r = Response::ok(content_type, body.into_bytes(), modified(p.serial));
    r.header("Vary", "Accept".to_owned());
    r.header("X-PyPI-Last-Serial", p.serial.to_string());
    r
}

fn simple_json_file(state: &State, f: &StoredFile, url: &str, metadata: Option<String>) -> Value {
    let mut file = json!({
        "filename": f.filename,
        "url": url,
        "hashes": {"sha256": advertised_sha(state, f)},
        "yanked": match f.options.yanked.as_deref() {
            None => Value::Bool(false),
            Some("") => Value::Bool(true),
            Some(reason) => Value::String(reason.to_owned()),
        },
        "size": f.bytes.len(),
        "upload-time": iso8601(modified(f.serial)),
    });
    if let Some(rp) = &f.options.requires_python {
        file["requires-python"] = json!(rp);
    }
    if let Some(sha) = metadata {
        file["core-metadata"] = json!({"sha256": sha});
        file["data-dist-info-metadata"] = json!({"sha256": sha});
    }
    file
}

fn simple_html_anchor(
    state: &State,
    f: &StoredFile,
    url: &str,
    metadata: Option<String>,
) -> String {
    let href = format!("{url}#sha256={}", advertised_sha(state, f));
    let mut a = format!("<a href=\"{}\"", escape(&href));
    if let Some(rp) = &f.options.requires_python {
        let _ = write!(a, " data-requires-python=\"{}\"", escape(rp));
    }
    if let Some(sha) = metadata {
        let _ = write!(
            a,
            " data-dist-info-metadata=\"sha256={sha}\" data-core-metadata=\"sha256={sha}\""
        );
    }
    if let Some(reason) = &f.options.yanked {
        let _ = write!(a, " data-yanked=\"{}\"", escape(reason));
    }
    let _ = writeln!(a, ">{}</a><br/>", escape(&f.filename));
    a
}
