//! Front matter: YAML between `---` lines or TOML between `+++` lines at the top of the file.
//! Known keys fill [`Meta`]; unknown keys are kept; a block that does not parse is a warning.

use super::{Meta, VarSpec};
use serde_json::Value;

/// Parses the text of a front-matter block (without its delimiters).
pub fn parse(text: &str, toml_style: bool) -> Result<Meta, String> {
    let value: Value = if toml_style {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
        serde_json::to_value(table).map_err(|e| e.to_string())?
    } else {
        if text.trim().is_empty() {
            return Ok(Meta::default());
        }
        serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?
    };
    let Value::Object(map) = value else {
        return Err("front matter is not a map of keys".to_string());
    };
    let mut meta = Meta::default();
    for (key, value) in map {
        match key.as_str() {
            "title" => meta.title = scalar(&value),
            "namespace" => meta.namespace = scalar(&value),
            "context" => meta.context = scalar(&value),
            "shell" => meta.shell = scalar(&value),
            "cwd" => meta.cwd = scalar(&value),
            "variables" | "vars" => meta.variables = variables(&value)?,
            _ => {
                meta.extra.insert(key, value);
            }
        }
    }
    Ok(meta)
}

/// A scalar as text (`3` → `"3"`, `true` → `"true"`); maps, lists and null give `None`.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn variables(value: &Value) -> Result<std::collections::BTreeMap<String, VarSpec>, String> {
    let mut out = std::collections::BTreeMap::new();
    let Value::Object(map) = value else {
        if value.is_null() {
            return Ok(out);
        }
        return Err(
            "`variables` must be a map of NAME → default or {default, prompt, secret, choices}"
                .into(),
        );
    };
    for (name, spec) in map {
        let spec = match spec {
            Value::Object(fields) => VarSpec {
                default: fields.get("default").and_then(scalar),
                prompt: fields
                    .get("prompt")
                    .or_else(|| fields.get("description"))
                    .and_then(scalar),
                secret: fields
                    .get("secret")
                    .is_some_and(|v| v.as_bool() == Some(true) || v == "true"),
                choices: match fields.get("choices") {
                    Some(Value::Array(items)) => items.iter().filter_map(scalar).collect(),
                    _ => Vec::new(),
                },
            },
            other => VarSpec {
                default: scalar(other),
                ..VarSpec::default()
            },
        };
        out.insert(name.clone(), spec);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn yaml() {
        let m = parse(
            "title: Deploy\nnamespace: shop\nowner: sre\nvariables:\n  VERSION: 1.2.3\n  REPLICAS: 3\n  DB_PASSWORD:\n    prompt: Database password\n    secret: true\n  ENV:\n    default: staging\n    choices: [staging, prod]\n",
            false,
        )
        .unwrap();
        assert_eq!(m.title.as_deref(), Some("Deploy"));
        assert_eq!(m.namespace.as_deref(), Some("shop"));
        assert_eq!(m.variables["VERSION"].default.as_deref(), Some("1.2.3"));
        assert_eq!(m.variables["REPLICAS"].default.as_deref(), Some("3"));
        assert!(m.variables["DB_PASSWORD"].secret);
        assert_eq!(m.variables["DB_PASSWORD"].default, None);
        assert_eq!(m.variables["ENV"].choices, ["staging", "prod"]);
        assert_eq!(m.extra["owner"], "sre");
    }

    #[test]
    fn toml_style() {
        let m = parse(
            "title = \"Rollback\"\ncontext = \"prod-eu\"\n[variables]\nTAG = \"v1\"\n",
            true,
        )
        .unwrap();
        assert_eq!(m.title.as_deref(), Some("Rollback"));
        assert_eq!(m.context.as_deref(), Some("prod-eu"));
        assert_eq!(m.variables["TAG"].default.as_deref(), Some("v1"));
    }

    #[test]
    fn errors() {
        assert!(parse("title: [unclosed\n", false).is_err());
        assert!(parse("- a\n- b\n", false).is_err());
        assert!(parse("title = \n", true).is_err());
        assert!(parse("variables: 3\n", false).is_err());
        assert_eq!(parse("", false).unwrap(), Meta::default());
    }
}
