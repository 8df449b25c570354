//! Turns an exit code and the end of a run's output into a short, readable outcome.

use nix::sys::signal::Signal;

/// Describes how a run ended: `command not found: kubectl` for an exit 127 whose output names the
/// missing command (bash, dash and zsh wordings), `killed by signal SIGKILL` for 128 + N, else
/// `exit N`.
pub fn describe_exit(code: i32, output_tail: &str) -> String {
    match code {
        127 => match missing_command(output_tail) {
            Some(cmd) => format!("command not found: {cmd}"),
            None => "exit 127".to_owned(),
        },
        126 => "exit 126 (command not executable)".to_owned(),
        129..=192 => match Signal::try_from(code - 128) {
            Ok(sig) => format!("killed by signal {sig} (exit {code})"),
            Err(_) => format!("exit {code}"),
        },
        _ => format!("exit {code}"),
    }
}

/// The last command a shell reported as missing in `tail`, if any.
fn missing_command(tail: &str) -> Option<String> {
    let clean = crate::exec::strip_ansi(tail);
    clean.lines().rev().find_map(|line| {
        let line = line.trim_end_matches('\r').trim();
        // bash: `bash: line 1: kubectl: command not found`; dash: `sh: 1: kubectl: not found`.
        let before = line
            .strip_suffix(": command not found")
            .or_else(|| line.strip_suffix(": not found"));
        if let Some(before) = before {
            let name = before.rsplit(": ").next().unwrap_or(before).trim();
            return (!name.is_empty()).then(|| name.to_owned());
        }
        // zsh: `zsh: command not found: kubectl`.
        line.split_once("command not found: ")
            .map(|(_, name)| name.trim().to_owned())
            .filter(|name| !name.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_missing_command() {
        let tail = "some output\r\nbash: line 1: kubectl: command not found\r\n";
        assert_eq!(describe_exit(127, tail), "command not found: kubectl");
    }

    #[test]
    fn script_file_and_dash_and_zsh_wordings() {
        assert_eq!(
            describe_exit(127, "/tmp/x/1-script.sh: line 3: helm: command not found\n"),
            "command not found: helm"
        );
        assert_eq!(
            describe_exit(127, "sh: 1: jq: not found"),
            "command not found: jq"
        );
        assert_eq!(
            describe_exit(127, "zsh: command not found: oc"),
            "command not found: oc"
        );
    }

    #[test]
    fn last_missing_command_wins_and_colours_are_ignored() {
        let tail = "bash: a: command not found\n\x1b[31mbash: b: command not found\x1b[0m\n";
        assert_eq!(describe_exit(127, tail), "command not found: b");
    }

    #[test]
    fn other_codes() {
        assert_eq!(describe_exit(127, "nothing useful"), "exit 127");
        assert_eq!(describe_exit(0, ""), "exit 0");
        assert_eq!(describe_exit(3, "bash: x: command not found"), "exit 3");
        assert_eq!(
            describe_exit(137, ""),
            "killed by signal SIGKILL (exit 137)"
        );
        assert_eq!(describe_exit(130, ""), "killed by signal SIGINT (exit 130)");
        assert_eq!(describe_exit(126, ""), "exit 126 (command not executable)");
    }
}
