//! pip's configuration files (INI), read as pip reads them: which files, in which order, the
//! `[global]` and `[install]` sections. A file pip would refuse to load is refused here too,
//! with its path and line, rather than skipped (skipping it would send installs to another
//! index than the user set).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::error::IndexError;

/// pip's configuration files, merged in pip's order of precedence.
pub(super) struct PipConfig {
    /// key -> (value, file it came from); `[install]` keys override `[global]` ones.
    values: HashMap<String, (String, PathBuf)>,
}

impl PipConfig {
    pub(super) fn load(
        env: &HashMap<String, String>,
        home: Option<&Path>,
    ) -> Result<PipConfig, IndexError> {
        let named = env
            .get("PIP_CONFIG_FILE")
            .filter(|v| !v.is_empty() && v.as_str() != "/dev/null")
            .map(PathBuf::from);
        if let Some(file) = &named
            && !file.exists()
        {
            return Err(IndexError::Settings(format!(
                "PIP_CONFIG_FILE names {}, which does not exist; point it at your pip.conf, or unset it",
                file.display()
            )));
        }
        let mut values = HashMap::new();
        for path in pip_config_files(env, home) {
            if !path.exists() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| {
                IndexError::Settings(format!(
                    "pip configuration {} cannot be read: {e}",
                    path.display()
                ))
            })?;
            let parsed = parse_pip_conf(&text).map_err(|(line, problem)| {
                IndexError::Settings(format!(
                    "pip configuration {} line {line}: {problem}; pip refuses this file too, so fix or remove the line",
                    path.display()
                ))
            })?;
            // Later files override earlier ones, as in pip.
            for (key, value) in parsed {
                values.insert(key, (value, path.clone()));
            }
        }
        Ok(PipConfig { values })
    }

    pub(super) fn get(&self, key: &str) -> Option<(String, PathBuf)> {
        self.values.get(key).cloned()
    }
}

/// pip's configuration files, lowest precedence first: global, user, site, `PIP_CONFIG_FILE`.
fn pip_config_files(env: &HashMap<String, String>, home: Option<&Path>) -> Vec<PathBuf> {
    let var = |k: &str| env.get(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let mut files = Vec::new();
    if let Some(file) = var("PIP_CONFIG_FILE")
        && file.as_os_str() == "/dev/null"
    {
        return files;
    }
    let xdg_dirs = env
        .get("XDG_CONFIG_DIRS")
        .filter(|v| !v.is_empty())
        .map_or_else(|| "/etc/xdg".to_string(), Clone::clone);
    for dir in xdg_dirs.split(':').filter(|d| !d.is_empty()) {
        files.push(Path::new(dir).join("pip").join("pip.conf"));
    }
    files.push(PathBuf::from("/etc/pip.conf"));
    let env_file = var("PIP_CONFIG_FILE");
    // pip skips the user files when PIP_CONFIG_FILE names an existing file.
    if !env_file.as_ref().is_some_and(|f| f.exists()) {
        if let Some(home) = home {
            files.push(home.join(".pip").join("pip.conf"));
            if cfg!(target_os = "macos") {
                files.push(home.join("Library/Application Support/pip/pip.conf"));
            }
        }
        let config_home = var("XDG_CONFIG_HOME").or_else(|| home.map(|h| h.join(".config")));
        if let Some(dir) = config_home {
            files.push(dir.join("pip").join("pip.conf"));
        }
    }
    if let Some(venv) = var("VIRTUAL_ENV") {
        files.push(venv.join("pip.conf"));
    }
    if let Some(file) = env_file {
        files.push(file);
    }
    files
}

/// Keys whose value is a whitespace-separated list.
const LIST_KEYS: [&str; 1] = ["find-links"];

/// The `[global]` and `[install]` keys of a pip.conf (INI), `[install]` last so it wins.
/// Keys are normalised as pip does (`index_url` and `index-url` are the same).
fn parse_pip_conf(text: &str) -> Result<Vec<(String, String)>, (usize, String)> {
    let mut global = Vec::new();
    let mut install = Vec::new();
    let mut section = String::new();
    let mut last: Option<(String, String)> = None;
    let mut flush = |section: &str, entry: Option<(String, String)>| {
        if let Some(e) = entry {
            match section {
                "global" => global.push(e),
                "install" => install.push(e),
                _ => {}
            }
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A continuation line: pip joins it to the previous value.
            let Some((_, value)) = last.as_mut() else {
                return Err((
                    number,
                    format!("'{trimmed}' is indented but continues no setting"),
                ));
            };
            value.push('\n');
            value.push_str(trimmed);
            continue;
        }
        flush(&section, last.take());
        if let Some(name) = trimmed.strip_prefix('[') {
            let name = name.strip_suffix(']').ok_or_else(|| {
                (
                    number,
                    format!("'{trimmed}' opens a section header but does not close it"),
                )
            })?;
            section = name.trim().to_ascii_lowercase();
        } else if let Some((key, value)) = trimmed.split_once(['=', ':']) {
            if section.is_empty() {
                return Err((
                    number,
                    format!("'{trimmed}' comes before any [section] header"),
                ));
            }
            let key = key.trim().to_ascii_lowercase().replace('_', "-");
            last = Some((key, value.trim().to_string()));
        } else {
            return Err((
                number,
                format!("'{trimmed}' is neither a [section], a key = value setting nor a comment"),
            ));
        }
    }
    flush(&section, last.take());
    global.extend(install);
    // A multi-line value keeps its first line for single-valued keys; a list (find-links) is
    // kept whole, to be split on whitespace as pip splits it.
    Ok(global
        .into_iter()
        .map(|(k, v)| {
            if LIST_KEYS.contains(&k.as_str()) {
                return (k, v);
            }
            let first = v
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .to_string();
            (k, first)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_conf_continuation_lines_and_comments_are_understood() {
        let parsed = parse_pip_conf(
            "# comment\n[global]\nextra-index-url =\n    https://a.test/simple\n    https://b.test/simple\ntimeout: 60\n[other]\nindex-url = ignored\n",
        )
        .unwrap();
        assert_eq!(
            parsed,
            [
                (
                    "extra-index-url".to_string(),
                    "https://a.test/simple".to_string()
                ),
                ("timeout".to_string(), "60".to_string())
            ]
        );
    }

    #[test]
    fn a_malformed_pip_conf_is_refused_with_its_line() {
        for (text, line, words) in [
            (
                "index-url = https://a.test/simple\n",
                1,
                "comes before any [section] header",
            ),
            ("[global\nindex-url = x\n", 1, "does not close it"),
            ("[global]\nthis is not ini\n", 2, "neither a [section]"),
            ("  stray\n[global]\n", 1, "continues no setting"),
        ] {
            let (n, problem) = parse_pip_conf(text).unwrap_err();
            assert_eq!(n, line, "{text:?}");
            assert!(problem.contains(words), "{text:?}: {problem}");
        }
    }
}
