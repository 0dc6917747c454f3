//! What Lambda does with a path under `/opt`, in one line of words: for newcomers learning what
//! a layer is (the TUI's tree explains the highlighted entry with it).

/// The role of `path` (relative to `/opt`, folders ending in `/`) in a layer.
#[allow(clippy::case_sensitive_file_extension_comparisons)] // wheel conventions are lowercase
pub fn role(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    let folder = path.ends_with('/');
    let name = trimmed.rsplit('/').next().unwrap_or(trimmed);
    let parts: Vec<&str> = trimmed.split('/').collect();
    match parts.as_slice() {
        ["python"] => "/opt/python is on sys.path: Lambda's Python imports what is here (the python/ layout), and python3.X also reads python/lib/python3.X/site-packages".into(),
        ["python", "lib"] => "holds one folder per Python version: each runtime reads only its own".into(),
        ["python", "lib", version] if version.starts_with("python3.") => {
            format!("read only by the {version} runtime: other Python versions never look here")
        }
        ["python", "lib", version, "site-packages"] => format!(
            "/opt/python/lib/{version}/site-packages is on sys.path for {version} (added with site.addsitedir, so .pth files here work)"
        ),
        ["lib"] => "/opt/lib is on LD_LIBRARY_PATH: shared libraries here are found by extensions (/opt/lib64 is not)".into(),
        ["bin"] => "/opt/bin is on PATH: the packages' command-line scripts".into(),
        ["bin", _] => "a script on PATH; its #! line points at the runtime's Python".into(),
        ["lib", _, ..] => "a shared library on LD_LIBRARY_PATH".into(),
        _ if folder && name.ends_with(".dist-info") => "the package's metadata (name, version, RECORD, entry points): kept so importlib.metadata finds the package".into(),
        _ if folder && name.ends_with(".libs") => "shared libraries the wheel bundles (put here when it was built); its extensions load them from here".into(),
        _ if folder && name.ends_with(".data") => "files the wheel installs outside the package".into(),
        _ if folder && name == "__pycache__" => "bytecode compiled for the runtime's Python (hash-based .pyc, one per Python version): imported instead of compiling the sources at each cold start".into(),
        _ if folder => format!(
            "a package, imported as {}; without compiled bytecode, Lambda compiles what it imports at each cold start (/opt is read-only)",
            name.replace('-', "_")
        ),
        _ if name.ends_with(".pyc") => "bytecode for the Python version its name says (cpython-3XY); a runtime of another version ignores it".into(),
        _ if name.ends_with(".pth") => "a .pth file: site.addsitedir reads it and adds its lines to sys.path".into(),
        _ if name.contains(".so") || name.ends_with(".pyd") => "a compiled extension, built for one CPython, architecture and glibc".into(),
        _ if name.ends_with(".py") => "Python source".into(),
        _ => "a file the package ships".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::role;

    #[test]
    fn each_place_in_a_layer_is_explained_as_lambda_uses_it() {
        for (path, words) in [
            ("python/", "/opt/python is on sys.path"),
            (
                "python/lib/python3.12/",
                "read only by the python3.12 runtime",
            ),
            (
                "python/lib/python3.12/site-packages/",
                "/opt/python/lib/python3.12/site-packages is on sys.path for python3.12",
            ),
            ("lib/", "/opt/lib is on LD_LIBRARY_PATH"),
            ("bin/", "/opt/bin is on PATH"),
            (
                "python/numpy-2.2.6.dist-info/",
                "kept so importlib.metadata finds",
            ),
            ("python/numpy.libs/", "shared libraries the wheel bundles"),
            (
                "python/numpy/",
                "imported as numpy; without compiled bytecode",
            ),
            (
                "python/numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so",
                "compiled extension",
            ),
            ("python/distutils-precedence.pth", "a .pth file"),
            (
                "python/numpy/__pycache__/",
                "bytecode compiled for the runtime's Python",
            ),
            (
                "python/numpy/__pycache__/version.cpython-312.pyc",
                "a runtime of another version ignores it",
            ),
        ] {
            let said = role(path);
            assert!(said.contains(words), "{path}: {said}");
        }
    }
}
