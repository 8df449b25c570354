//! `runbook [FILE | DIR | FILE#anchor]`: everything before the loop — the runbook (or the bundled
//! demo, or a picker), config, theme, kube context, a resume offer — and the clean-up after it.

use super::effects::{Effects, SessionSource};
use crate::journal::{self, Mode as JournalMode, SessionStatus, StepStatus};
use crate::secrets::MASK;
use crate::state::{Mode, Msg, Notice, PickerEntry, ResumeOffer, ResumedStep, State, Status};
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The bundled demo runbook, so that `runbook` with no argument works from anywhere.
pub const DEMO: &str = include_str!("../../runbooks/demo.md");

/// Arguments of the interactive app.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OpenArgs {
    /// A runbook, a directory of runbooks, or FILE#heading-anchor; none opens the bundled demo.
    pub target: Option<String>,
    /// Continue the latest unfinished session of this runbook without asking.
    #[arg(long)]
    pub resume: bool,
    /// Theme: dark, light, high-contrast, or a file name in <config dir>/themes/.
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// The Kubernetes context this runbook is meant for; a different current context is flagged.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// Rehearsal: read steps run, write and destructive steps are shown and recorded, not run.
    #[arg(long, conflicts_with = "read_only")]
    pub rehearsal: bool,
    /// Read-only: only read steps run.
    #[arg(long)]
    pub read_only: bool,
}

pub fn sha256(text: &str) -> String {
    format!("{:x}", sha2::Sha256::digest(text.as_bytes()))
}

/// The unfinished session of this runbook, as the resume dialog shows it.
pub fn resume_offer(data_dir: &Path, path: &Path) -> Option<ResumeOffer> {
    let summary = journal::find_resumable(data_dir, path).ok().flatten()?;
    if summary.state == SessionStatus::Running {
        return None; // Another window is writing it.
    }
    let (records, _) = journal::read_journal(&summary.dir.join(journal::JOURNAL_FILE)).ok()?;
    let replayed = journal::replay(&records);
    let statuses = replayed
        .steps
        .iter()
        .filter_map(|(id, st)| {
            let status = match st.status {
                StepStatus::Done => Status::Done,
                StepStatus::Failed => Status::Failed,
                StepStatus::Skipped => Status::Skipped,
                StepStatus::Stopped => Status::Stopped,
                StepStatus::Rehearsed => Status::Rehearsed,
                StepStatus::Pending | StepStatus::Running => return None,
            };
            Some((id.clone(), status))
        })
        .collect();
    let variables = replayed
        .variables
        .iter()
        .filter(|(name, _)| !replayed.secret_variables.contains(*name))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let details = replayed
        .steps
        .iter()
        .map(|(id, st)| {
            let step = ResumedStep {
                edited: st.edited_command.clone().filter(|e| !e.contains(MASK)),
                notes: st.notes.clone(),
                skip_reason: st.skip_reason.clone(),
            };
            (id.clone(), step)
        })
        .filter(|(_, step)| *step != ResumedStep::default())
        .collect();
    let started = summary
        .started
        .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M %:z").to_string());
    let started_ms = summary
        .started
        .and_then(|t| u64::try_from(t.timestamp_millis()).ok());
    Some(ResumeOffer {
        session: summary.id,
        started,
        started_ms,
        statuses,
        variables,
        details,
    })
}

/// What to open: text and path of a runbook, or a directory for the picker.
enum Target {
    File {
        text: String,
        path: PathBuf,
        anchor: Option<String>,
    },
    Dir(PathBuf),
}

fn target(arg: Option<&str>) -> Result<Target, String> {
    let Some(arg) = arg else {
        return Ok(Target::File {
            text: DEMO.to_string(),
            path: PathBuf::from("demo.md"),
            anchor: None,
        });
    };
    let (file, anchor) = match arg.rsplit_once('#') {
        Some((file, anchor)) if !Path::new(arg).exists() => (file, Some(anchor.to_string())),
        _ => (arg, None),
    };
    let path = PathBuf::from(file);
    if path.is_dir() {
        return Ok(Target::Dir(path));
    }
    let text = crate::input::read_runbook(&path).map_err(|e| e.to_string())?;
    Ok(Target::File { text, path, anchor })
}

fn picker_entries(dir: &Path) -> Vec<PickerEntry> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PickerEntry> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md" || e == "markdown"))
        .map(|p| {
            let book = crate::input::load(&p).ok();
            PickerEntry {
                path: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                title: book.as_ref().map(|b| b.title.clone()),
                steps: book.as_ref().map(|b| b.steps.len()),
            }
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Entry point of the interactive app.
pub fn cmd_open(args: OpenArgs) -> ExitCode {
    let target = match target(args.target.as_deref()) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("runbook: {message}");
            return ExitCode::from(2);
        }
    };
    let config_dir = crate::config::config_dir();
    let (config, config_errors) = crate::config::load_config(config_dir.as_deref());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme_name = args.theme.clone().unwrap_or_else(|| config.theme.clone());
    let (theme, theme_errors) =
        crate::theme::load_theme(&theme_name, config_dir.as_deref(), no_color);
    let problems: Vec<String> = config_errors
        .iter()
        .map(|e| format!("{}:{}: {}", e.file, e.line, e.message))
        .chain(
            theme_errors
                .iter()
                .map(|e| format!("{}:{}: {}", e.file, e.line, e.message)),
        )
        .collect();
    let mode = if args.rehearsal {
        Mode::Rehearsal
    } else if args.read_only {
        Mode::ReadOnly
    } else {
        Mode::Live
    };
    let journal_mode = match mode {
        Mode::Live => JournalMode::Live,
        Mode::Rehearsal => JournalMode::Rehearsal,
        Mode::ReadOnly => JournalMode::ReadOnly,
    };
    let data_dir = journal::data_dir().ok();
    let (mut state, source) = match target {
        Target::Dir(dir) => {
            let entries = picker_entries(&dir);
            let state = State::picker(dir.display().to_string(), entries, config.clone(), mode);
            (
                state,
                SessionSource {
                    path: dir,
                    sha256: String::new(),
                    mode: journal_mode,
                },
            )
        }
        Target::File { text, path, anchor } => {
            let mut book = crate::runbook::parse_titled(&text, &crate::input::stem(&path));
            book.source = path.display().to_string();
            let mut state = State::new(book, config.clone(), mode);
            if let Some(anchor) = anchor
                && !state.jump_to_anchor(&anchor)
            {
                state.notice = Some(Notice {
                    text: format!("no heading #{anchor} in this runbook"),
                    error: true,
                });
            }
            (
                state,
                SessionSource {
                    path,
                    sha256: sha256(&text),
                    mode: journal_mode,
                },
            )
        }
    };
    state.set_env(std::env::vars());
    if let Some(problem) = problems.first() {
        // Each problem says what was used instead; the others are printed on exit.
        let more = match problems.len() - 1 {
            0 => String::new(),
            n => format!(" (+{n} more, printed on exit)"),
        };
        state.notice = Some(Notice {
            text: format!("{problem}{more}"),
            error: true,
        });
    }
    // One thread for the loop and its tasks: every wake-up stays on it (PTY readers, the journal
    // writer and blocking work have threads of their own).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runbook: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    let code = runtime.block_on(run_app(state, source, data_dir, &theme, &args, &config));
    crate::exec::kill_all_groups();
    for problem in &problems {
        eprintln!("runbook: {problem}");
    }
    code
}

async fn run_app(
    mut state: State,
    source: SessionSource,
    data_dir: Option<PathBuf>,
    theme: &crate::theme::Theme,
    args: &OpenArgs,
    config: &crate::config::Config,
) -> ExitCode {
    let mut exec_config = crate::exec::ExecConfig::default();
    if let Some(shell) = config
        .shell
        .clone()
        .or_else(|| state.runbook.meta.shell.clone())
    {
        exec_config.shell = shell.into();
    }
    let (engine, engine_events) = match crate::exec::Engine::with_channel(exec_config) {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("runbook: {e}");
            return ExitCode::from(2);
        }
    };
    let engine = Arc::new(engine);
    let kube = crate::kubectx::current();
    let mut startup = vec![Msg::Kube {
        context: kube.context.clone(),
        namespace: kube.namespace.clone(),
    }];
    let expected = args
        .context
        .clone()
        .or_else(|| state.runbook.meta.context.clone());
    state.expected_context = expected.clone();
    if let (Some(want), Some(have)) = (&expected, &kube.context)
        && want != have
    {
        state.notice = Some(Notice {
            text: format!("kube context is {have}, this runbook expects {want}"),
            error: true,
        });
    }
    let is_picker = state.picker.is_some();
    let offer = if is_picker {
        None
    } else {
        data_dir
            .as_deref()
            .and_then(|d| resume_offer(d, &source.path))
    };
    let mut fx = Effects::new(engine.clone(), source, data_dir, Vec::new());
    match offer {
        Some(offer) if args.resume => {
            startup.push(Msg::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char('y'),
            )));
            state.offer_resume(offer);
        }
        Some(offer) => state.offer_resume(offer),
        None if !is_picker => fx.start_after_first_frame(),
        None => {}
    }
    fx = fx.with_startup(startup);
    let mut term = match crate::tui::init() {
        Ok(term) => term,
        Err(e) => {
            eprintln!("runbook: cannot use this terminal: {e}");
            return ExitCode::from(2);
        }
    };
    let result = super::run(&mut term, state, theme, &mut fx, engine_events).await;
    engine.stop_all();
    if matches!(result, Ok(super::Exit::Signal)) {
        fx.end(Some("terminated by signal".to_string())).await;
    }
    crate::tui::restore();
    match result {
        Ok(super::Exit::Quit) => ExitCode::SUCCESS,
        Ok(super::Exit::Signal) => ExitCode::from(130),
        Err(e) => {
            eprintln!("runbook: terminal error: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
#[path = "open_tests.rs"]
mod tests;
