//! The values dialog: `${VAR}` and `<placeholder>` values a step needs, their defaults and
//! secrecy, and which ones are already known (session values, the operator's environment, or an
//! earlier step that assigns the variable).

use super::{State, VarValue};
use crate::runbook::{Step, vars};
use std::collections::{BTreeMap, BTreeSet};

pub use crate::secrets::MASK;

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

/// What a step runs: its commands, without session output or note blocks.
fn script_of(step: &Step) -> String {
    step.commands
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The default written in the step's own script (`${NAME:-default}`).
fn inline_default(step: &Step, name: &str) -> Option<String> {
    vars::default_of(&script_of(step), name)
}

impl State {
    /// The operator's environment: its names are not asked for, and its values name what a
    /// destructive target like `"$WORKDIR"` destroys.
    /// A value outside the variable's front-matter `choices` does not count: the operator is
    /// asked, as `run` refuses it.
    pub fn set_env(&mut self, vars: impl IntoIterator<Item = (String, String)>) {
        self.env_values = vars.into_iter().collect();
        self.env_names = self.env_values.keys().cloned().collect();
        self.drop_env_outside_choices();
    }

    /// Forgets environment names whose value is not one of the variable's `choices`.
    pub fn drop_env_outside_choices(&mut self) {
        let outside = |name: &String| self.env_choice_refused(name).is_some();
        let refused: Vec<String> = self
            .env_names
            .iter()
            .filter(|n| outside(n))
            .cloned()
            .collect();
        for name in refused {
            self.env_names.remove(&name);
        }
    }

    /// The choices `name`'s environment value is not one of, if it is not.
    pub fn env_choice_refused(&self, name: &str) -> Option<&[String]> {
        let choices = &self.runbook.meta.variables.get(name)?.choices;
        let value = self.env_values.get(name)?;
        (!choices.is_empty() && !choices.contains(value)).then_some(choices.as_slice())
    }

    /// Names set in the operator's environment: these variables are not asked for.
    pub fn set_env_names(&mut self, names: impl IntoIterator<Item = String>) {
        self.env_names = names.into_iter().collect();
    }

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
            .flat_map(|s| vars::assigned_names(&script_of(s)))
            .collect()
    }

    /// The names a step needs that have no value yet, by the same rule as headless runs
    /// ([`crate::values::resolve`]): session values, the operator's environment and earlier
    /// steps count as known; front-matter defaults are offered in the dialog, not assumed.
    pub fn missing_values(&self, step: usize) -> Vec<String> {
        let given: BTreeMap<String, String> = self
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect();
        let assigned = self.assigned_before(step);
        let sources = crate::values::Sources {
            given: &given,
            carried: &|name| assigned.contains(name) || self.carried.contains_key(name),
            env: &|name| self.env_names.contains(name).then(String::new),
            meta: &self.runbook.meta,
            is_secret: &|name| self.is_secret(name),
            use_defaults: false,
        };
        crate::values::resolve(&self.runbook.steps[step], &sources)
            .missing
            .into_iter()
            .map(|need| need.name)
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
                let wanted = |n: &str| !only_missing || missing.iter().any(|m| m == n);
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
