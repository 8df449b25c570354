//! Secrets never reach the journal in clear: before an event is written, its free text (command,
//! edited command, note, skip reason, confirmation) is masked, and a secret variable's value is
//! replaced by `••••••` and remembered, so that later text containing it is masked too.

use super::event::Event;
use crate::runbook::VarSpec;
use crate::secrets::{MASK, Masker, SecretPolicy};
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
mod tests {
    use super::*;

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
