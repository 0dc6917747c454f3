//! The PyPI JSON API: `/pypi/<project>/json` and `/pypi/<project>/<version>/json`.

use serde_json::{Value, json};

use super::super::wheel::normalize;
use super::faults::advertised_sha;
use super::response::Response;
use super::util::{is_wheel, iso8601, modified, python_tag, url_for};
use super::versions::{latest_version, sorted_versions};
use super::{Project, Shared, State, StoredFile, metadata_field, metadata_fields};

pub(super) fn json_api(
    shared: &Shared,
    state: &State,
    project: &str,
    version: Option<&str>,
) -> Response {
    let Some(p) = state.projects.get(&normalize(project)) else {
        return Response::json(404, &json!({"message": "Not Found"}));
    };
    let versions = sorted_versions(p);
    // The per-version document sits one directory deeper and has no `releases`.
    let depth = if version.is_some() { 3 } else { 2 };
    let Some(version) = version
        .map(str::to_owned)
        .or_else(|| latest_version(p, &versions))
        .filter(|v| versions.contains(v))
    else {
        return Response::json(404, &json!({"message": "Not Found"}));
    };
    let file_url = |f: &StoredFile| url_for(shared, depth, &f.filename);
    let files_json = |v: &str| -> Vec<Value> {
        p.files
            .iter()
            .filter(|f| f.version == v)
            .map(|f| json_api_file(state, f, &file_url(f)))
            .collect()
    };
    let mut doc = json!({
        "info": info_json(p, &version),
        "last_serial": p.serial,
        "urls": files_json(&version),
        "vulnerabilities": [],
    });
    if depth == 2 {
        let releases: serde_json::Map<String, Value> = versions
            .iter()
            .map(|v| (v.clone(), Value::Array(files_json(v))))
            .collect();
        doc["releases"] = Value::Object(releases);
    }
    let mut r = Response::ok(
        "application/json",
        doc.to_string().into_bytes(),
        modified(p.serial),
    );
    r.header("X-PyPI-Last-Serial", p.serial.to_string());
    r
}

fn info_json(p: &Project, version: &str) -> Value {
    let files: Vec<&StoredFile> = p.files.iter().filter(|f| f.version == version).collect();
    let metadata = files
        .iter()
        .find(|f| is_wheel(&f.filename) && f.options.metadata.is_some())
        .or_else(|| files.iter().find(|f| f.options.metadata.is_some()))
        .and_then(|f| f.options.metadata.as_deref());
    let summary = p
        .summary
        .clone()
        .or_else(|| metadata.and_then(|m| metadata_field(m, "Summary")))
        .unwrap_or_default();
    let requires_dist: Option<Vec<String>> = metadata
        .map(|m| metadata_fields(m, "Requires-Dist"))
        .filter(|r| !r.is_empty());
    let requires_python = metadata
        .and_then(|m| metadata_field(m, "Requires-Python"))
        .or_else(|| files.iter().find_map(|f| f.options.requires_python.clone()));
    let yanked = !files.is_empty() && files.iter().all(|f| f.options.yanked.is_some());
    let yanked_reason = if yanked {
        files.iter().find_map(|f| f.options.yanked.clone())
    } else {
        None
    };
    json!({
        "name": p.name,
        "version": version,
        "summary": summary,
        "requires_dist": requires_dist,
        "requires_python": requires_python,
        "yanked": yanked,
        "yanked_reason": yanked_reason,
    })
}

fn json_api_file(state: &State, f: &StoredFile, url: &str) -> Value {
    let wheel = is_wheel(&f.filename);
    let time = iso8601(modified(f.serial));
    json!({
        "filename": f.filename,
        "url": url,
        "size": f.bytes.len(),
        "digests": {"sha256": advertised_sha(state, f), "md5": ""},
        "requires_python": f.options.requires_python,
        "yanked": f.options.yanked.is_some(),
        "yanked_reason": f.options.yanked.as_deref().filter(|r| !r.is_empty()),
        "upload_time": time.trim_end_matches('Z').split('.').next().unwrap_or_default(),
        "upload_time_iso_8601": time,
        "packagetype": if wheel { "bdist_wheel" } else { "sdist" },
        "python_version": if wheel { python_tag(&f.filename) } else { "source".to_owned() },
        "has_sig": false,
        "comment_text": "",
    })
}
