//! PURE. Which steps a headless run takes, and what it needs before it may start: values nobody
//! gave, write/destructive steps and manual checks that need `--yes` without a terminal.

use crate::runbook::{Risk, Runbook, Step, StepKind};
use crate::values::{self, Need, Sources};

/// The `--all | --step | --section | --from` choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    All,
    /// Step numbers or ids.
    Steps(Vec<String>),
    /// Steps whose heading path contains this text (case-insensitive).
    Section(String),
    From(usize),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    #[error("no step {0}: give a step number (1–{1}) or id (see `runbook list`)")]
    UnknownStep(String, usize),
    #[error("no section matches {0:?} (see `runbook list`)")]
    UnknownSection(String),
    #[error("--from {0}: the runbook has {1} steps")]
    FromOutOfRange(usize, usize),
    #[error("nothing to run: the selection holds no command and no check")]
    Empty,
}

/// Steps to take, in document order (indices into `book.steps`).
pub fn select(book: &Runbook, selection: &Selection) -> Result<Vec<usize>, PlanError> {
    let actionable = |s: &Step| s.kind == StepKind::Check || !s.commands.is_empty();
    let total = book.steps.len();
    let picked: Vec<usize> = match selection {
        Selection::All => (0..total)
            .filter(|&i| actionable(&book.steps[i]))
            .filter(|&i| {
                book.steps[i]
                    .annotations
                    .get("excludeFromRunAll")
                    .is_none_or(|v| v != "true")
            })
            .collect(),
        Selection::Steps(which) => {
            let mut out = Vec::new();
            for w in which {
                let found = book
                    .steps
                    .iter()
                    .position(|s| s.id == *w || w.parse::<usize>().ok() == Some(s.number));
                out.push(found.ok_or_else(|| PlanError::UnknownStep(w.clone(), total))?);
            }
            out
        }
        Selection::Section(text) => {
            let needle = text.to_lowercase();
            let out: Vec<usize> = (0..total)
                .filter(|&i| {
                    book.steps[i]
                        .section
                        .iter()
                        .any(|h| h.to_lowercase().contains(&needle))
                })
                .filter(|&i| actionable(&book.steps[i]))
                .collect();
            if out.is_empty() {
                return Err(PlanError::UnknownSection(text.clone()));
            }
            out
        }
        Selection::From(n) => {
            if *n == 0 || *n > total {
                return Err(PlanError::FromOutOfRange(*n, total));
            }
            (n - 1..total)
                .filter(|&i| actionable(&book.steps[i]))
                .collect()
        }
    };
    if picked.is_empty() {
        return Err(PlanError::Empty);
    }
    Ok(picked)
}

/// True when `script` assigns `name` (so later steps of the same run will find it set).
pub fn assigns(script: &str, name: &str) -> bool {
    crate::runbook::vars::assigned_names(script)
        .iter()
        .any(|n| n == name)
}

/// Values still missing for the selected steps, given what earlier selected steps assign.
pub fn missing_values(book: &Runbook, picked: &[usize], sources: &Sources<'_>) -> Vec<Need> {
    let mut out: Vec<Need> = Vec::new();
    let mut earlier_scripts: Vec<String> = Vec::new();
    for &i in picked {
        let step = &book.steps[i];
        let carried = |name: &str| {
            (sources.carried)(name) || earlier_scripts.iter().any(|s| assigns(s, name))
        };
        let here = Sources {
            carried: &carried,
            ..*sources
        };
        for need in values::resolve(step, &here).missing {
            if !out.iter().any(|n| n.name == need.name) {
                out.push(need);
            }
        }
        earlier_scripts.push(
            step.commands
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    out
}

/// Steps that need an operator's yes: write/destructive commands and manual checks.
pub fn needs_yes(book: &Runbook, picked: &[usize]) -> Vec<usize> {
    picked
        .iter()
        .copied()
        .filter(|&i| {
            let s = &book.steps[i];
            s.risk.is_some_and(|r| r >= Risk::Write)
                || (s.kind == StepKind::Check && s.commands.is_empty())
                || (s.risk == Some(Risk::Read)
                    && s.commands
                        .iter()
                        .any(|c| crate::runbook::shell::redirect::writes_files(&c.text)))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::runbook::{Meta, parse};
    use std::collections::BTreeMap;

    const BOOK: &str = "# T\n## Prep\n- [ ] Manual\n\n```bash\nexport WORKDIR=$(mktemp -d)\n```\n\n## Go\n```bash\nls \"$WORKDIR\" $MISSING <pod>\n```\n\n```bash {\"excludeFromRunAll\":\"true\"}\necho skipped by all\n```\n\n```yaml\na: b\n```\n";

    #[test]
    fn selections() {
        let book = parse(BOOK);
        assert_eq!(select(&book, &Selection::All).unwrap(), [0, 1, 2]);
        assert_eq!(
            select(
                &book,
                &Selection::Steps(vec!["4".into(), book.steps[0].id.to_string()])
            )
            .unwrap(),
            [3, 0]
        );
        assert_eq!(
            select(&book, &Selection::Section("go".into())).unwrap(),
            [2, 3]
        );
        assert_eq!(select(&book, &Selection::From(2)).unwrap(), [1, 2, 3]);
        assert!(matches!(
            select(&book, &Selection::Steps(vec!["99".into()])),
            Err(PlanError::UnknownStep(..))
        ));
        assert!(matches!(
            select(&book, &Selection::Section("nope".into())),
            Err(PlanError::UnknownSection(_))
        ));
        assert!(matches!(
            select(&book, &Selection::From(0)),
            Err(PlanError::FromOutOfRange(..))
        ));
    }

    #[test]
    fn missing_values_know_what_earlier_steps_assign() {
        let book = parse(BOOK);
        let given = BTreeMap::new();
        let meta = Meta::default();
        let sources = Sources {
            given: &given,
            carried: &|_| false,
            env: &|_| None,
            meta: &meta,
            is_secret: &|_| false,
            use_defaults: true,
        };
        let names: Vec<_> = missing_values(&book, &[1, 2], &sources)
            .into_iter()
            .map(|n| n.name)
            .collect();
        assert_eq!(names, ["MISSING", "pod"]);
        let names: Vec<_> = missing_values(&book, &[2], &sources)
            .into_iter()
            .map(|n| n.name)
            .collect();
        assert_eq!(names, ["WORKDIR", "MISSING", "pod"]);
        assert!(
            assigns("export A=1", "A") && assigns("read -r B", "B") && !assigns("echo $C", "C")
        );
    }

    #[test]
    fn yes_is_needed_for_writes_and_manual_checks() {
        let book = parse(BOOK);
        assert_eq!(needs_yes(&book, &[0, 1, 2]), [0, 1]);
    }
}
