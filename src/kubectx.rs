//! The current Kubernetes context and namespace, read from the kubeconfig the way kubectl finds
//! it (`KUBECONFIG`, first file that names a current context; else `~/.kube/config`). Only the two
//! fields are read: no API call, so it is cheap enough to refresh after every step.

use std::path::PathBuf;

/// What the status bar and the journal show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KubeContext {
    pub context: Option<String>,
    pub namespace: Option<String>,
}

/// Reads the current context from the kubeconfig files; `None` fields when there is none.
pub fn current() -> KubeContext {
    for path in kubeconfig_paths() {
        if let Ok(text) = std::fs::read_to_string(&path) {
            let found = parse(&text);
            if found.context.is_some() {
                return found;
            }
        }
    }
    KubeContext::default()
}

fn kubeconfig_paths() -> Vec<PathBuf> {
    match std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        Some(list) => std::env::split_paths(&list).collect(),
        None => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".kube/config"))
            .into_iter()
            .collect(),
    }
}

/// PURE. Extracts `current-context` and that context's namespace from kubeconfig YAML.
pub fn parse(text: &str) -> KubeContext {
    let Ok(doc) = serde_yaml_ng::from_str::<serde_json::Value>(text) else {
        return KubeContext::default();
    };
    let context = doc
        .get("current-context")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let namespace = context.as_ref().and_then(|name| {
        doc.get("contexts")?
            .as_array()?
            .iter()
            .find(|c| c.get("name").and_then(|n| n.as_str()) == Some(name))?
            .get("context")?
            .get("namespace")?
            .as_str()
            .map(str::to_string)
    });
    KubeContext { context, namespace }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_context_and_namespace() {
        let yaml = "apiVersion: v1\ncurrent-context: prod-eu\ncontexts:\n- name: dev\n  context: {cluster: d}\n- name: prod-eu\n  context:\n    cluster: p\n    namespace: shop\n";
        assert_eq!(
            parse(yaml),
            KubeContext {
                context: Some("prod-eu".into()),
                namespace: Some("shop".into())
            }
        );
        assert_eq!(parse("current-context: \"\"\n"), KubeContext::default());
        assert_eq!(parse(": : not yaml ["), KubeContext::default());
    }
}
