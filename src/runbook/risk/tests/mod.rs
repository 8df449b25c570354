//! Table-driven tests of [`analyze`] and [`program_names`], plus a no-panic property test.
#![allow(clippy::unwrap_used)]

use super::{Analysis, analyze, program_names};
use crate::runbook::Risk;
use proptest::prelude::*;

pub(super) const R: Risk = Risk::Read;
pub(super) const W: Risk = Risk::Write;
pub(super) const D: Risk = Risk::Destructive;
/// Interactive / long-running markers for readability of the table.
pub(super) const I: bool = true;
pub(super) const L: bool = true;
pub(super) const N: bool = false;

mod table_host;
mod table_infra;

fn table() -> impl Iterator<Item = &'static (&'static str, Risk, bool, bool)> {
    table_infra::ROWS.iter().chain(table_host::ROWS)
}

#[test]
fn table_has_enough_rows() {
    let rows = table().count();
    assert!(rows >= 90, "only {rows} rows");
}

#[test]
fn table_of_commands() {
    let mut failures = Vec::new();
    for &(text, risk, interactive, long_running) in table() {
        let want = Analysis {
            risk,
            interactive,
            long_running,
        };
        let got = analyze(text);
        if got != want {
            failures.push(format!("{text:?}\n   want {want:?}\n   got  {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        table().count(),
        failures.join("\n")
    );
}

#[test]
fn program_names_skip_prefixes_builtins_and_remote_payloads() {
    let cases: &[(&str, &[&str])] = &[
        ("kubectl get pods | grep -v Running", &["kubectl", "grep"]),
        ("sudo -u postgres psql -c 'SELECT 1'", &["psql"]),
        ("FOO=1 env BAR=2 nohup time ./deploy.sh", &["./deploy.sh"]),
        ("cd /opt && export X=1 && echo $X", &[]),
        (
            "TOKEN=$(kubectl create token sa | tr -d '\\n')",
            &["kubectl", "tr"],
        ),
        ("kubectl exec pod -- psql -c 'SELECT 1'", &["kubectl"]),
        ("ssh host 'systemctl restart x'", &["ssh"]),
        ("bash -c 'jq . x.json'", &["bash", "jq"]),
        ("watch -n 2 kubectl get pods", &["watch", "kubectl"]),
        ("xargs -n1 kubectl delete", &["xargs", "kubectl"]),
        ("if true; then helm list; fi", &["helm"]),
        ("$KUBECTL get pods && <tool> run", &[]),
        ("kubectl get a; kubectl get b", &["kubectl"]),
        ("SELECT 1;", &[]),
        (
            "cat <<EOF | kubectl apply -f -\nkind: X\nEOF",
            &["cat", "kubectl"],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(program_names(text), *want, "{text:?}");
    }
}

#[test]
fn placeholders_are_words_not_redirections() {
    // `<name>` must not swallow the rest as a redirection target.
    assert_eq!(analyze("kubectl scale deploy <name> --replicas=0").risk, D);
    assert!(analyze("kubectl logs <pod> -f").long_running);
    assert_eq!(
        program_names("kubectl get pod <pod-name>"),
        vec!["kubectl".to_string()]
    );
}

proptest! {
    #[test]
    fn never_panics(text in "\\PC*") {
        let _ = analyze(&text);
        let _ = program_names(&text);
    }

    #[test]
    fn never_panics_on_shell_soup(text in "[ a-z$()`'\"<>|&;{}\\[\\]\\\\\n#=-]{0,80}") {
        let _ = analyze(&text);
        let _ = program_names(&text);
    }

    #[test]
    fn never_panics_on_command_like_words(words in prop::collection::vec(prop::sample::select(vec![
        "kubectl", "exec", "-it", "--", "sh", "-c", "psql", "<<EOF", "<<-'X'", "EOF", "X", "\n",
        "$(", ")", "`", "'", "\"", "|", "&&", ";", "&", "sudo", "-u", "watch", "-n", "xargs",
        "redis-cli", "docker", "run", "git", "push", "--force", "aws", "s3", "rm", "<<<", "<name>",
        "case", "in", "esac", ";;", "for", "do", "done", "[[", "]]", "(", "{", "}", "curl", "-X",
        "find", "-exec", "\\;", "ssh", "host", "env", "A=1", "timeout", "5", "bash", "select",
    ]), 0..40)) {
        let text = words.join(" ");
        let _ = analyze(&text);
        let _ = program_names(&text);
    }

    #[test]
    fn nesting_never_lowers_risk(inner in prop::sample::select(vec![
        "kubectl delete pod x", "kubectl get pods", "rm -rf /x", "helm install a b",
    ])) {
        let direct = analyze(inner).risk;
        prop_assert_eq!(analyze(&format!("sudo {inner}")).risk, direct);
        let assigned = analyze(&format!("X=$({inner})")).risk;
        let wrapped = analyze(&format!("bash -c '{inner}'")).risk;
        prop_assert!(assigned >= direct);
        prop_assert!(wrapped >= direct);
    }
}
