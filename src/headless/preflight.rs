//! What `runbook run` checks before anything runs or is asked: the choice of steps, the shell,
//! the kube context, and the values a resumed session already holds.

use super::{Outcome, RunArgs, Selection};
use crate::journal;
use crate::runbook::Runbook;
use std::collections::BTreeMap;

/// The steps asked for; without any choice only `--resume` means "the rest of the session".
pub(super) fn selection(args: &RunArgs) -> Result<Selection, Outcome> {
    if !args.step.is_empty() {
        Ok(Selection::Steps(args.step.clone()))
    } else if let Some(text) = &args.section {
        Ok(Selection::Section(text.clone()))
    } else if let Some(n) = args.from {
        Ok(Selection::From(n))
    } else if args.all || args.resume {
        Ok(Selection::All)
    } else {
        Err(Outcome::Usage(
            "choose the steps to run: --all, --step N|ID, --section TEXT or --from N".to_string(),
        ))
    }
}

/// The shell is checked before anything runs: a typo is a usage error, not a failed step.
pub(super) fn check_shell(args: &RunArgs, book: &Runbook) -> Result<(), Outcome> {
    let shell = args
        .shell
        .clone()
        .or_else(|| book.meta.shell.clone().map(Into::into));
    match shell.map(|s| crate::exec::resolve_shell(&s)) {
        Some(Err(e)) => Err(Outcome::Usage(e.to_string())),
        _ => Ok(()),
    }
}

/// A runbook meant for another cluster does not run against the current one: the context to
/// use is `--context`, else the front matter's `context`.
pub(super) fn check_context(
    args: &RunArgs,
    book: &Runbook,
    current: Option<&str>,
) -> Result<(), Outcome> {
    let expected = args.context.as_deref().or(book.meta.context.as_deref());
    match (expected, current) {
        (Some(want), Some(have)) if want != have => Err(Outcome::Usage(format!(
            "kube context is {have}, this runbook expects {want}: switch context, or pass \
             --context {have} to run against {have}"
        ))),
        (Some(want), None) => {
            eprintln!("runbook: warning: no current kube context; this runbook expects {want}");
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Non-secret values recorded in the session being resumed; `--set` still wins over them.
pub(super) fn recorded_values(
    summary: &journal::SessionSummary,
    given: &mut BTreeMap<String, String>,
    is_secret: &dyn Fn(&str) -> bool,
) {
    let Ok((records, _)) = journal::read_journal(&summary.dir.join(journal::JOURNAL_FILE)) else {
        return;
    };
    let state = journal::replay(&records);
    for (name, value) in state.variables {
        if !state.secret_variables.contains(&name) && !is_secret(&name) {
            given.entry(name).or_insert(value);
        }
    }
}

/// A value outside its front-matter `choices` is refused, whether given or taken from the
/// environment: `ENV=prodd` must not run as if it were an environment.
pub(super) fn check_choices(
    book: &Runbook,
    given: &BTreeMap<String, String>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), Outcome> {
    for (name, spec) in &book.meta.variables {
        if spec.choices.is_empty() {
            continue;
        }
        let Some(value) = given.get(name).cloned().or_else(|| env(name)) else {
            continue;
        };
        if !spec.choices.contains(&value) {
            return Err(Outcome::Usage(format!(
                "{name}={value}: must be one of {}",
                spec.choices.join(", ")
            )));
        }
    }
    Ok(())
}

/// The values the chosen steps take from the environment (not given), to record: the audit
/// says which value a run used, wherever it came from.
pub(super) fn env_values(
    book: &Runbook,
    picked: &[usize],
    given: &BTreeMap<String, String>,
    env: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, String> {
    picked
        .iter()
        .flat_map(|&i| book.steps[i].variables.iter())
        .filter(|name| !given.contains_key(name.as_str()))
        .filter_map(|name| Some((name.to_string(), env(name)?)))
        .collect()
}
