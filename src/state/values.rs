//! The values dialog: `${VAR}` and `<placeholder>` values a step needs, their defaults and
//! secrecy, and which ones are already known (session values, the operator's environment, or an
//! earlier step that assigns the variable).

use super::{State, VarValue};
use crate::runbook::Step;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// What the operator sees instead of a secret.
pub const MASK: &str = "••••••";

/// One field of the values dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueField {
    pub name: String,
    /// `<name>` rather than `${NAME}`.
    pub placeholder: bool,
    pub value: String,
    pub default: Option<String>,
    pub prompt: Option<String>,
    pub choices: Vec<String>,
    pub secret: bool,
}

/// The values dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    /// The step asking (None: every variable of the runbook).
    pub step: Option<usize>,
    pub fields: Vec<ValueField>,
    pub focused: usize,
    /// Run the step once the values are given.
    pub then_run: bool,
    pub error: Option<String>,
}

static ASSIGN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:^\s*|[;&|(]\s*|\b(?:export|declare|local|readonly|typeset)\s+(?:-\w+\s+)*)([A-Za-z_][A-Za-z0-9_]*)=|\bread\s+(?:-\w+\s+)*([A-Za-z_][A-Za-z0-9_]*)|\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b",
    )
    .ok()
});

/// Names a script assigns (`X=`, `export X=`, `read X`, `for X in`).
pub fn assigned_names(code: &str) -> BTreeSet<String> {
    let Some(re) = ASSIGN.as_ref() else {
        return BTreeSet::new();
    };
    re.captures_iter(code)
        .filter_map(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .next()
                .map(|m| m.as_str().to_string())
        })
        .collect()
}

/// `${NAME:-default}` / `${NAME-default}` in the step's code.
fn inline_default(step: &Step, name: &str) -> Option<String> {
    let code = step.code.as_deref()?;
    let start = format!("${{{name}");
    let at = code.find(&start)? + start.len();
    let rest = &code[at..];
    let rest = rest.strip_prefix(":-").or_else(|| rest.strip_prefix('-'))?;
    rest.find('}').map(|end| rest[..end].to_string())
}

impl State {
    /// True when a value for `name` is a secret (front matter, or a secret-looking name).
    pub fn is_secret(&self, name: &str) -> bool {
        self.runbook
            .meta
            .variables
            .get(name)
            .is_some_and(|v| v.secret)
            || self.config.is_secret_name(name)
    }

    /// Variables assigned by steps before `step` (they carry over in the session's shell).
    fn assigned_before(&self, step: usize) -> BTreeSet<String> {
        self.runbook.steps[..step]
            .iter()
            .filter_map(|s| s.code.as_deref())
            .flat_map(assigned_names)
            .collect()
    }

    /// The names a step needs that have no value yet.
    pub fn missing_values(&self, step: usize) -> Vec<String> {
        let s = &self.runbook.steps[step];
        let assigned = self.assigned_before(step);
        s.variables
            .iter()
            .filter(|v| !self.env_names.contains(*v) && !assigned.contains(*v))
            .chain(&s.placeholders)
            .filter(|n| !self.vars.contains_key(*n))
            .cloned()
            .collect()
    }

    /// A field for `name`, pre-filled with the session value or the default.
    fn field(&self, name: &str, placeholder: bool, step: Option<&Step>) -> ValueField {
        let spec = self.runbook.meta.variables.get(name);
        let default = spec
            .and_then(|v| v.default.clone())
            .or_else(|| step.and_then(|s| inline_default(s, name)));
        let value = self
            .vars
            .get(name)
            .map(|v| v.value.clone())
            .or_else(|| default.clone());
        ValueField {
            name: name.to_string(),
            placeholder,
            value: value.unwrap_or_default(),
            default,
            prompt: spec.and_then(|v| v.prompt.clone()),
            choices: spec.map(|v| v.choices.clone()).unwrap_or_default(),
            secret: self.is_secret(name),
        }
    }

    /// The values dialog for a step's names (`only_missing`: just those without a value), or
    /// for every front-matter variable and known value when `step` is `None`.
    pub fn values_dialog(&self, step: Option<usize>, only_missing: bool, then_run: bool) -> Values {
        let mut fields = Vec::new();
        match step {
            Some(i) => {
                let s = &self.runbook.steps[i];
                let missing = self.missing_values(i);
                let wanted = |n: &String| !only_missing || missing.contains(n);
                for n in s.variables.iter().filter(|n| wanted(n)) {
                    fields.push(self.field(n, false, Some(s)));
                }
                for n in s.placeholders.iter().filter(|n| wanted(n)) {
                    fields.push(self.field(n, true, Some(s)));
                }
            }
            None => {
                let names: BTreeSet<&String> = self
                    .runbook
                    .meta
                    .variables
                    .keys()
                    .chain(self.vars.keys())
                    .collect();
                fields.extend(names.into_iter().map(|n| self.field(n, false, None)));
            }
        }
        Values {
            step,
            fields,
            focused: 0,
            then_run,
            error: None,
        }
    }

    /// Stores the dialog's values for the session; returns the journal ops to write.
    pub(crate) fn store_values(&mut self, values: &Values) -> Vec<super::JournalOp> {
        let mut ops = Vec::new();
        for f in &values.fields {
            let unchanged = self.vars.get(&f.name).is_some_and(|v| v.value == f.value);
            self.vars.insert(
                f.name.clone(),
                VarValue {
                    value: f.value.clone(),
                    secret: f.secret,
                },
            );
            if !unchanged {
                let value = if f.secret {
                    MASK.to_string()
                } else {
                    f.value.clone()
                };
                ops.push(super::JournalOp::VariableSet {
                    name: f.name.clone(),
                    value,
                    secret: f.secret,
                });
            }
        }
        ops
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_assignments() {
        let names = assigned_names(
            "export NS=prod\nTOKEN=$(get)\nread -r POD\nfor n in a b; do echo $n; done\ncd /x && X=1 make",
        );
        let want: BTreeSet<String> = ["NS", "TOKEN", "POD", "n", "X"].map(String::from).into();
        assert_eq!(names, want);
        assert!(assigned_names("echo $NS --set=a").is_empty());
    }
}
