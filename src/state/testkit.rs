//! Test helpers: a realistic runbook built by hand (the parser is developed in parallel) and a
//! few shortcuts for driving `update`.
#![allow(clippy::unwrap_used)]

use super::{Effect, Mode, Msg, State, update};
use crate::config::Config;
use crate::runbook::{Command, Meta, Risk, Runbook, Section, Step, StepKind, VarSpec};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

fn cmd(text: &str, line: usize, risk: Risk) -> Command {
    Command {
        text: text.into(),
        line,
        label: None,
        risk,
        interactive: false,
        long_running: false,
    }
}

fn step(number: usize, kind: StepKind, title: &str, section: &[&str], line: usize) -> Step {
    Step {
        number,
        id: title.to_lowercase().replace(' ', "-").into(),
        kind,
        title: title.into(),
        section: section.iter().map(|s| (*s).to_string()).collect(),
        line,
        depth: 0,
        parent: None,
        checked: false,
        lang: None,
        code: None,
        manifest: false,
        commands: Vec::new(),
        risk: None,
        variables: Vec::new(),
        placeholders: Vec::new(),
        expect: Vec::new(),
        annotations: BTreeMap::new(),
        context: "".into(),
        block_lines: Default::default(),
    }
}

fn with_commands(mut s: Step, lang: &str, cmds: Vec<Command>) -> Step {
    s.lang = Some(lang.into());
    s.code = Some(
        cmds.iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
            .into(),
    );
    s.risk = cmds.iter().map(|c| c.risk).max();
    s.commands = cmds;
    s
}

const T: &str = "Payments API rollout";

/// Sections, checks with commands, a nested check, a manual check, notes, write and destructive
/// steps, variables (one secret) and placeholders, long-running and interactive commands.
pub fn runbook() -> Runbook {
    let pre = [T, "Pre-flight checks", "Cluster access"];
    let deploy = [T, "Deploy"];
    let verify = [T, "Verify"];
    let rollback = [T, "Rollback"];
    let mut steps = Vec::new();

    let mut s = step(1, StepKind::Check, "Confirm the kube context", &pre, 9);
    s.context = "Make sure you are on the **right** cluster before anything else.\n\n\
                 - Context must be `aks-payments-prod`\n- Namespace: `payments`\n"
        .into();
    let mut c = cmd("kubectl config current-context", 11, Risk::Read);
    c.label = Some("Show the current context".into());
    steps.push(with_commands(s, "bash", vec![c]));

    let mut s = step(2, StepKind::Check, "Nodes are Ready", &pre, 14);
    s.depth = 1;
    s.parent = Some(1);
    s.expect = vec!["every node shows STATUS Ready".into()];
    steps.push(with_commands(
        s,
        "bash",
        vec![cmd("kubectl get nodes -o wide", 16, Risk::Read)],
    ));

    let mut s = step(3, StepKind::Check, "Database reachable", &pre, 18);
    s.variables = vec!["DB_PASSWORD".into()];
    let c = cmd(
        "PGPASSWORD=$DB_PASSWORD psql -h db.internal -U app -c 'select 1' # ping",
        20,
        Risk::Read,
    );
    steps.push(with_commands(s, "sh", vec![c]));

    let mut s = step(4, StepKind::Check, "Announce the rollout in #ops", &pre, 23);
    s.checked = false;
    s.context = "Post the *change ticket* link in the channel.".into();
    steps.push(s);

    let mut s = step(5, StepKind::Command, "Set the new image", &deploy, 32);
    s.variables = vec!["VERSION".into()];
    s.annotations.insert(
        "confirm".into(),
        "Traffic shifts to the new pods at once.".into(),
    );
    s.context = "Bump the image. Versions:\n\n| Env | Version |\n|-----|---------|\n| staging | 2.4.0 |\n| prod | 2.3.9 |\n"
        .into();
    let c = cmd(
        "kubectl set image deploy/payments-api api=registry.example.com/payments-api:${VERSION} -n payments",
        34,
        Risk::Write,
    );
    steps.push(with_commands(s, "bash", vec![c]));

    let s = step(6, StepKind::Command, "Watch the rollout", &deploy, 38);
    let mut c = cmd(
        "kubectl rollout status deploy/payments-api -n payments --watch",
        40,
        Risk::Read,
    );
    c.long_running = true;
    steps.push(with_commands(s, "bash", vec![c]));

    let mut s = step(7, StepKind::Note, "Expected rollout settings", &deploy, 43);
    s.lang = Some("yaml".into());
    s.code = Some("strategy:\n  rollingUpdate:\n    maxSurge: 25%".into());
    steps.push(s);

    let s = step(8, StepKind::Command, "Tail the logs", &verify, 52);
    let mut c = cmd(
        "kubectl logs -f deploy/payments-api -n payments | grep ERROR",
        54,
        Risk::Read,
    );
    c.long_running = true;
    c.label = Some("Errors only".into());
    steps.push(with_commands(s, "bash", vec![c]));

    let mut s = step(9, StepKind::Command, "Open a shell in the pod", &verify, 57);
    s.placeholders = vec!["pod-name".into()];
    let mut c = cmd(
        "kubectl exec -it <pod-name> -n payments -- /bin/sh",
        59,
        Risk::Write,
    );
    c.interactive = true;
    steps.push(with_commands(s, "bash", vec![c]));

    let mut s = step(
        10,
        StepKind::Command,
        "Delete the broken pod",
        &rollback,
        72,
    );
    s.placeholders = vec!["pod-name".into()];
    let c = cmd(
        "kubectl delete pod <pod-name> -n payments",
        74,
        Risk::Destructive,
    );
    steps.push(with_commands(s, "bash", vec![c]));

    let s = step(
        11,
        StepKind::Command,
        "Roll back the deployment",
        &rollback,
        77,
    );
    let c = cmd(
        "kubectl rollout undo deploy/payments-api -n payments",
        79,
        Risk::Write,
    );
    steps.push(with_commands(s, "bash", vec![c]));

    let section = |level, title: &str, line| Section {
        level,
        title: title.into(),
        line,
    };
    let mut variables = BTreeMap::new();
    variables.insert(
        "VERSION".into(),
        VarSpec {
            default: Some("2.4.1".into()),
            ..VarSpec::default()
        },
    );
    variables.insert(
        "DB_PASSWORD".into(),
        VarSpec {
            secret: true,
            ..VarSpec::default()
        },
    );
    Runbook {
        title: T.into(),
        source: "runbooks/payments-rollout.md".into(),
        meta: Meta {
            namespace: Some("payments".into()),
            variables,
            ..Meta::default()
        },
        sections: vec![
            section(1, T, 1),
            section(2, "Pre-flight checks", 5),
            section(3, "Cluster access", 7),
            section(2, "Deploy", 30),
            section(2, "Verify", 50),
            section(2, "Rollback", 70),
        ],
        steps,
        warnings: Vec::new(),
    }
}

/// A live-mode state over [`runbook`] at 120×40, clock at t=1000s.
pub fn state() -> State {
    state_in(Mode::Live, 120, 40)
}

pub fn state_in(mode: Mode, cols: u16, rows: u16) -> State {
    let mut s = State::new(runbook(), Config::default(), mode);
    update(&mut s, Msg::Resize { cols, rows });
    update(&mut s, Msg::Tick { now_ms: 1_000_000 });
    update(
        &mut s,
        Msg::Kube {
            context: Some("aks-payments-staging".into()),
            namespace: Some("payments".into()),
        },
    );
    s
}

/// A live-mode state over the parse of `markdown`, at `cols`×`rows`.
pub fn state_of_size(markdown: &str, cols: u16, rows: u16) -> State {
    let mut s = State::new(
        crate::runbook::parse(markdown),
        Config::default(),
        Mode::Live,
    );
    update(&mut s, Msg::Resize { cols, rows });
    s
}

pub fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn ch(s: &mut State, c: char) -> Vec<Effect> {
    key(s, KeyCode::Char(c))
}

pub fn ctrl(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

pub fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

/// Selects step index `i` (0-based).
pub fn select(s: &mut State, i: usize) {
    s.cursor = super::Item::Step(i);
    super::nav::reveal(s);
}

/// The ack token of the single acknowledged journal effect in `effects`.
pub fn ack_token(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Journal { ack: Some(t), .. } => Some(*t),
            _ => None,
        })
        .unwrap()
}
