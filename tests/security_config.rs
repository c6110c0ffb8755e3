//! The webview's lock-down, read from the files that set it: the CSP in tauri.conf.json and the
//! capability files. A change that loosens either fails here.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("tauri.conf.json"))
        .expect("tauri.conf.json is at the root");
    serde_json::from_str(&text).expect("tauri.conf.json is JSON")
}

fn csp_directives() -> Vec<(String, String)> {
    let csp = &config()["app"]["security"]["csp"];
    let map = csp
        .as_object()
        .expect("the CSP is written as one object of directives");
    map.iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().expect("each directive is a string").to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_csp_allows_no_remote_source_no_eval_and_no_inline_script() {
    let directives = csp_directives();
    let get = |name: &str| {
        directives
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("the CSP sets {name}"))
    };
    assert_eq!(
        get("default-src"),
        "'self'",
        "everything not named is the app's own"
    );
    assert_eq!(
        get("script-src"),
        "'self'",
        "scripts only from the app's own files"
    );
    assert_eq!(get("object-src"), "'none'");
    assert_eq!(get("base-uri"), "'none'");
    for (name, value) in &directives {
        for source in value.split_whitespace() {
            assert!(
                !source.contains("unsafe-eval")
                    && !source.contains("unsafe-inline")
                    && !source.contains("unsafe-hashes"),
                "{name} must not allow {source}"
            );
            assert!(
                !source.starts_with("https:")
                    && source != "http:"
                    && source != "*"
                    && !source.starts_with("ws"),
                "{name} must not allow a remote source: {source}"
            );
            if source.starts_with("http://") {
                assert!(
                    source.ends_with(".localhost"),
                    "{name}: only the app's own local protocols, not {source}"
                );
            }
        }
    }
    let config = config();
    assert_ne!(
        config["app"]["security"]["dangerousDisableAssetCspModification"],
        serde_json::Value::Bool(true),
        "Tauri keeps adding its hashes to the CSP"
    );
    assert!(
        config["app"]["security"]["freezePrototype"]
            .as_bool()
            .unwrap_or(false),
        "prototypes are frozen"
    );
}

#[test]
fn the_capabilities_grant_only_the_apps_own_commands() {
    let dir = root().join("src-tauri/capabilities");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("the capability folder exists") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let capability: serde_json::Value =
            serde_json::from_str(&text).expect("a capability file is JSON");
        files += 1;
        assert!(
            capability.get("remote").is_none(),
            "{}: no remote URL may reach the IPC",
            path.display()
        );
        let permissions = capability["permissions"]
            .as_array()
            .expect("a capability lists its permissions");
        for permission in permissions {
            let name = permission
                .as_str()
                .or_else(|| permission["identifier"].as_str())
                .unwrap_or_default();
            // Plugin and core permissions carry a prefix ("fs:", "shell:", "core:…"); the app's
            // own commands do not.
            assert!(
                !name.contains(':'),
                "{}: {name} grants a plugin or core permission to the webview; the app calls plugins from Rust",
                path.display()
            );
            assert!(
                name.starts_with("allow-"),
                "{}: {name} is not one of the app's commands",
                path.display()
            );
        }
    }
    assert!(files > 0, "there is a capability file to check");
}

#[test]
fn the_ui_loads_nothing_from_the_network_and_sets_no_html_from_strings() {
    for entry in walk(&root().join("ui")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        for forbidden in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}",
                entry.display()
            );
        }
        for remote in [
            "src=\"http",
            "href=\"http",
            "url(http",
            "import('http",
            "from 'http",
        ] {
            assert!(
                !text.contains(remote),
                "{} loads from the network ({remote})",
                entry.display()
            );
        }
        assert!(
            !text.contains(" onclick=\"") && !text.contains(" onload=\""),
            "{} has an inline event handler",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
