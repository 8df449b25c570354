//! Secrets never reach the journal in clear: before an event is written, its free text (command,
//! edited command, note, skip reason, confirmation) is masked, and a secret variable's value is
//! replaced by `••••••` and remembered, so that later text containing it is masked too.

use super::event::Event;
use crate::runbook::{Runbook, VarSpec};
use crate::secrets::{MASK, Masker, SecretPolicy, implicit_values};
use std::collections::BTreeMap;

/// What decides and hides secret values for one journal.
#[derive(Debug, Default)]
pub(crate) struct Secrets {
    pub policy: SecretPolicy,
    /// Front-matter declarations (`secret: true`).
    pub specs: BTreeMap<String, VarSpec>,
    pub masker: Masker,
}

impl Secrets {
    /// Learns the secret values a run will use without the operator typing them: a secret
    /// `${VAR}` inherited from the environment, and the front-matter default of a secret
    /// variable or placeholder. Call once the policy and the declarations are set.
    pub fn learn(&mut self, runbook: &Runbook, env: &dyn Fn(&str) -> Option<String>) {
        for value in implicit_values(runbook, &self.policy, env) {
            self.masker.add(&value);
        }
    }

    /// Masks the event in place.
    pub fn redact(&mut self, event: &mut Event) {
        match event {
            Event::VariableSet {
                name,
                value,
                secret,
            } => {
                *secret = *secret || self.policy.is_secret(name, self.specs.get(name.as_str()));
                if *secret {
                    self.masker.add(value);
                    *value = MASK.to_string();
                } else {
                    *value = self.masker.mask(value);
                }
            }
            Event::StepStarted { command: text, .. }
            | Event::StepRehearsed { command: text, .. }
            | Event::CommandEdited { text, .. }
            | Event::NoteAdded { text, .. }
            | Event::StepSkipped { reason: text, .. }
            | Event::Confirmation { what: text, .. } => *text = self.masker.mask(text),
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn secrets_from_the_environment_and_front_matter_are_learnt() {
        let book = crate::runbook::parse(concat!(
            "---\nvariables:\n  DB_HOST:\n    default: db.internal\n",
            "  vault_pin:\n    secret: true\n    default: \"4711\"\n",
            "  UNUSED_TOKEN:\n    default: tok-unused\n---\n",
            "# S\n\n```bash\npsql \"$DB_PASSWORD\" $DB_HOST $API_KEY <vault_pin>\n```\n"
        ));
        assert!(book.warnings.is_empty(), "{:?}", book.warnings);
        let mut s = Secrets {
            specs: book.meta.variables.clone(),
            ..Secrets::default()
        };
        let env = |n: &str| match n {
            "DB_PASSWORD" => Some("from-env".to_string()),
            "DB_HOST" => Some("host-env".to_string()),
            _ => None,
        };
        s.learn(&book, &env);
        let masked = s
            .masker
            .mask("from-env host-env db.internal 4711 tok-unused");
        assert_eq!(masked, format!("{MASK} host-env db.internal {MASK} {MASK}"));
    }

    #[test]
    fn secret_variables_are_remembered_and_masked_later() {
        let mut s = Secrets::default();
        let mut set = Event::VariableSet {
            name: "API_TOKEN".into(),
            value: "abc".into(),
            secret: false,
        };
        s.redact(&mut set);
        let expected = Event::VariableSet {
            name: "API_TOKEN".into(),
            value: MASK.into(),
            secret: true,
        };
        assert_eq!(set, expected);
        let mut skip = Event::StepSkipped {
            id: "x".into(),
            reason: "token abc expired".into(),
        };
        s.redact(&mut skip);
        let reason = format!("token {MASK} expired");
        assert_eq!(
            skip,
            Event::StepSkipped {
                id: "x".into(),
                reason
            }
        );
        let mut plain = Event::VariableSet {
            name: "NS".into(),
            value: "prod".into(),
            secret: false,
        };
        s.redact(&mut plain);
        assert!(
            matches!(plain, Event::VariableSet { ref value, secret: false, .. } if value == "prod")
        );
    }
}
