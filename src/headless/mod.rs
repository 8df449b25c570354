//! Headless `runbook run`: the chosen steps, in order, through the same PTY engine as the TUI,
//! recorded in the journal. Checks everything it can before running anything: the selection (one
//! of `--all`, `--step`, `--section`, `--from` is required, except to `--resume`), the shell, the
//! kube context (the runbook's `context` or `--context`), missing values (asked on a terminal,
//! listed with the `--set` to pass otherwise; a resumed session's recorded values are reused),
//! and steps that need `--yes` when there is no terminal to confirm on.
//!
//! Exit codes: 0 all done, 1 a step failed (or was not confirmed), 2 usage or input error,
//! 130 interrupted.

mod plan;
mod preflight;
mod prompt;
mod runner;
mod stream;

pub use plan::{PlanError, Selection, assigns, missing_values, needs_yes, select};

use crate::journal::{self, Journal, Mode};
use crate::runbook::Runbook;
use crate::values::Sources;
use preflight::{
    check_choices, check_context, check_shell, env_values, recorded_values, selection,
};
use sha2::Digest;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `runbook run`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// The runbook to run.
    pub file: PathBuf,
    /// Run every command and check (steps marked excludeFromRunAll are left out).
    #[arg(long, conflicts_with_all = ["step", "section", "from"])]
    pub all: bool,
    /// Run these steps (number or id); repeatable.
    #[arg(long, value_name = "N|ID", conflicts_with_all = ["section", "from"])]
    pub step: Vec<String>,
    /// Run the steps under headings containing TEXT.
    #[arg(long, value_name = "TEXT", conflicts_with = "from")]
    pub section: Option<String>,
    /// Run from step N to the end.
    #[arg(long, value_name = "N")]
    pub from: Option<usize>,
    /// Give a value: NAME=VALUE; repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Confirm write/destructive steps and manual checks without asking.
    #[arg(long)]
    pub yes: bool,
    /// Print each command exactly as it would run (secrets masked); run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Continue the latest unfinished session of this runbook.
    #[arg(long)]
    pub resume: bool,
    /// The shell steps run in (default: the runbook's, else bash).
    #[arg(long, value_name = "PATH")]
    pub shell: Option<PathBuf>,
    /// The Kubernetes context to run against when it is not the runbook's `context`.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
}

/// How a headless run ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed(usize),
    Usage(String),
    Interrupted,
}

impl Outcome {
    fn exit(self) -> ExitCode {
        match self {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::Failed(n) => {
                eprintln!("runbook: step {n} failed");
                ExitCode::from(1)
            }
            Outcome::Usage(message) => {
                eprintln!("runbook: {message}");
                ExitCode::from(2)
            }
            Outcome::Interrupted => {
                eprintln!("runbook: interrupted");
                ExitCode::from(130)
            }
        }
    }
}

/// Entry point of `runbook run`.
pub fn cmd_run(args: RunArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return Outcome::Usage(format!("cannot start: {e}")).exit(),
    };
    let outcome = runtime.block_on(run(args));
    // Whatever happened, no child outlives the command.
    crate::exec::kill_all_groups();
    outcome.exit()
}

fn parse_sets(sets: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for set in sets {
        match set.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                out.insert(name.trim().to_string(), value.to_string());
            }
            _ => return Err(format!("--set {set:?}: expected NAME=VALUE")),
        }
    }
    Ok(out)
}

async fn run(args: RunArgs) -> Outcome {
    let text = match crate::input::read_runbook(&args.file) {
        Ok(text) => text,
        Err(e) => return Outcome::Usage(e.to_string()),
    };
    let mut book = crate::runbook::parse_titled(&text, &crate::input::stem(&args.file));
    book.source = args.file.display().to_string();
    let what = match selection(&args) {
        Ok(what) => what,
        Err(outcome) => return outcome,
    };
    if let Err(outcome) = check_shell(&args, &book) {
        return outcome;
    }
    let picked = match select(&book, &what) {
        Ok(picked) => picked,
        Err(e) => return Outcome::Usage(e.to_string()),
    };
    let mut given = match parse_sets(&args.set) {
        Ok(given) => given,
        Err(e) => return Outcome::Usage(e),
    };
    // The same secret names as the interactive app: `config.toml`'s `secret_patterns`.
    let (config, _) = crate::config::load_config(crate::config::config_dir().as_deref());
    let policy = config.secret_policy();
    let is_secret = |name: &str| policy.is_secret(name, book.meta.variables.get(name));
    let sha = format!("{:x}", sha2::Sha256::digest(text.as_bytes()));
    let data_dir = match journal::data_dir() {
        Ok(dir) => dir,
        Err(e) => return Outcome::Usage(e.to_string()),
    };
    let mut resumed = BTreeMap::new();
    let resumable = if args.resume {
        journal::find_resumable(&data_dir, &args.file)
            .ok()
            .flatten()
    } else {
        None
    };
    match &resumable {
        Some(summary) => recorded_values(summary, &mut given, &is_secret),
        None if args.resume => eprintln!(
            "runbook: no unfinished session of {} to resume; starting a new one",
            args.file.display()
        ),
        None => {}
    }
    let kube = crate::kubectx::current();
    if !args.dry_run
        && let Err(outcome) = check_context(&args, &book, kube.context.as_deref())
    {
        return outcome;
    }
    let mut signals = match prompt::Signals::install() {
        Ok(signals) => signals,
        Err(e) => return Outcome::Usage(format!("cannot install signal handlers: {e}")),
    };
    if let Err(outcome) = ask_missing(&book, &picked, &mut given, &is_secret, &mut signals).await {
        return outcome;
    }
    if let Err(outcome) = check_choices(&book, &given, &process_env) {
        return outcome;
    }
    if args.dry_run {
        return dry_run(&book, &picked, &given, &policy);
    }
    if !args.yes && !prompt::interactive() {
        let waiting = needs_yes(&book, &picked);
        if !waiting.is_empty() {
            let list: Vec<String> = waiting
                .iter()
                .map(|&i| book.steps[i].number.to_string())
                .collect();
            return Outcome::Usage(format!(
                "steps {} change things or are manual checks: pass --yes to confirm them without a terminal",
                list.join(", ")
            ));
        }
    }
    let journal = match resumable {
        Some(summary) => match Journal::resume(&summary.dir, &book, &sha).await {
            Ok((journal, state, report)) => {
                if report.hash_changed {
                    eprintln!(
                        "runbook: the runbook changed since the session started: {} changed or disappeared",
                        crate::check::count(report.changed_or_gone.len(), "step")
                    );
                }
                for (id, st) in &state.steps {
                    resumed.insert(id.clone(), (st.status, st.runs));
                }
                eprintln!("runbook: resuming session {}", journal.id());
                journal
            }
            Err(e) => return Outcome::Usage(format!("cannot resume: {e}")),
        },
        None => match Journal::create(
            &data_dir,
            &book,
            &args.file,
            &sha,
            Mode::Live,
            kube.context.clone(),
        ) {
            Ok(journal) => journal,
            Err(e) => return Outcome::Usage(format!("cannot start the journal: {e}")),
        },
    };
    journal.set_variable_specs(&book);
    journal.set_secret_policy(policy.clone());
    journal.learn_secrets(&book, &process_env);
    if let (Some(named), Some(expected)) = (&args.context, &book.meta.context)
        && named != expected
    {
        // `--context` overrode the runbook's cluster: the record says so.
        let what = format!("kube context {named} used although the runbook expects {expected}");
        let event = journal::Event::Confirmation {
            id: None,
            what,
            overridden: true,
        };
        journal.send(event).ok();
    }
    let from_env = env_values(&book, &picked, &given, &process_env);
    for (name, value) in given.iter().chain(&from_env) {
        let secret = is_secret(name);
        if secret {
            journal.add_secret(value);
        }
        journal
            .send(journal::Event::VariableSet {
                name: name.clone(),
                value: value.clone(),
                secret,
            })
            .ok();
    }
    let session = runner::Session {
        book: &book,
        picked: &picked,
        journal: &journal,
        given,
        secret: &is_secret,
        yes: args.yes,
        shell: args.shell.clone(),
        resumed,
        stdout_is_tty: std::io::stdout().is_terminal(),
        stdin_is_tty: std::io::stdin().is_terminal(),
        explicit: !args.step.is_empty(),
    };
    runner::run(session, &mut signals).await
}

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn nothing_carried(_: &str) -> bool {
    false
}

/// Value sources before anything ran: `--set` and resumed values, the environment, defaults.
fn sources<'a>(
    book: &'a Runbook,
    given: &'a BTreeMap<String, String>,
    is_secret: &'a dyn Fn(&str) -> bool,
) -> Sources<'a> {
    Sources {
        given,
        carried: &nothing_carried,
        env: &process_env,
        meta: &book.meta,
        is_secret,
        use_defaults: true,
    }
}

/// Asks for missing values on a terminal; without one, lists them with the `--set` to pass.
async fn ask_missing(
    book: &Runbook,
    picked: &[usize],
    given: &mut BTreeMap<String, String>,
    is_secret: &dyn Fn(&str) -> bool,
    signals: &mut prompt::Signals,
) -> Result<(), Outcome> {
    let missing = missing_values(book, picked, &sources(book, given, is_secret));
    if missing.is_empty() {
        return Ok(());
    }
    if !prompt::interactive() {
        let names: Vec<&str> = missing.iter().map(|n| n.name.as_str()).collect();
        let sets: Vec<String> = missing
            .iter()
            .map(|n| format!("--set {}=…", n.name))
            .collect();
        return Err(Outcome::Usage(format!(
            "missing values: {} (pass {})",
            names.join(", "),
            sets.join(" ")
        )));
    }
    for need in missing {
        let label = need.prompt.clone().unwrap_or_else(|| need.name.clone());
        let (default, secret) = (need.default.clone(), need.secret);
        let question = move || prompt::ask_value(&label, default.as_deref(), secret);
        match prompt::ask(signals, question)
            .await
            .ok_or(Outcome::Interrupted)?
        {
            Some(value) => {
                given.insert(need.name, value);
            }
            None => return Err(Outcome::Usage(format!("no value for {}", need.name))),
        }
    }
    Ok(())
}

/// Prints every command as it would run: placeholders substituted, secrets masked.
fn dry_run(
    book: &Runbook,
    picked: &[usize],
    given: &BTreeMap<String, String>,
    policy: &crate::secrets::SecretPolicy,
) -> Outcome {
    let is_secret = |name: &str| policy.is_secret(name, book.meta.variables.get(name));
    let is_secret: &dyn Fn(&str) -> bool = &is_secret;
    let mut masker = crate::secrets::Masker::new();
    for (name, value) in given {
        if is_secret(name) {
            masker.add(value);
        }
    }
    for value in crate::secrets::implicit_values(book, policy, &process_env) {
        masker.add(&value);
    }
    let mut out = crate::listing::stdout();
    let printed = picked.iter().try_for_each(|&i| {
        let step = &book.steps[i];
        let resolved = crate::values::resolve(step, &sources(book, given, is_secret));
        let risk = step
            .risk
            .map_or(String::new(), |r| format!("  ({})", r.as_str()));
        writeln!(out, "# step {}: {}{risk}", step.number, step.title)?;
        for (name, value) in &resolved.env {
            writeln!(out, "# {name}={}", masker.mask(value))?;
        }
        if step.commands.is_empty() {
            writeln!(out, "# manual check")?;
        } else {
            let script = crate::values::script_for(step, None, &resolved.placeholders);
            writeln!(out, "{}", masker.mask(&script))?;
        }
        writeln!(out)
    });
    if let Err(e) = printed.and_then(|()| out.flush()) {
        return Outcome::Usage(format!("cannot write the dry run: {e}"));
    }
    Outcome::Done
}
