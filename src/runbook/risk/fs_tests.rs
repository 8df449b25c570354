//! Equivalence of `fs::classify`'s table lookup with scanning its lists one by one, as it did
//! before the table: every name the module mentions (and a few it does not), with arguments
//! and stdin that exercise each branch.

use super::fs::{DESTRUCTIVE, KEYBOARD, READ, REPLS, SHELLS, classify, keyboard_program, special};
use super::simple::Input;
use super::{Analysis, Arg, AsStr, Ctx};

/// `fs::classify` as it was: the lists scanned in order.
fn reference(prog: &str, args: &[Arg<'_>], ctx: &Ctx) -> Option<Analysis> {
    if let Some(a) = special(prog, args, ctx) {
        return Some(a);
    }
    if let Some((_, risk, endless)) = KEYBOARD.iter().find(|(p, _, _)| *p == prog) {
        return Some(keyboard_program(prog, *risk, *endless, args));
    }
    if READ.contains(&prog) {
        return Some(Analysis::READ);
    }
    if DESTRUCTIVE.contains(&prog) || prog.starts_with("mkfs") {
        return Some(Analysis::DESTRUCTIVE);
    }
    let version = |a: &Arg<'_>| matches!(a.as_str(), "--version" | "-V" | "--help" | "-h");
    if (SHELLS.contains(&prog) || REPLS.contains(&prog)) && args.iter().any(version) {
        return Some(Analysis::READ);
    }
    if SHELLS.contains(&prog) || REPLS.contains(&prog) {
        let prompt = ctx.stdin.is_none()
            && args
                .iter()
                .all(|a| a.starts_with('-') && !matches!(a.as_str(), "-c" | "-e" | "-m"));
        let server = args
            .windows(2)
            .any(|w| w[0] == "-m" && w[1] == "http.server");
        return Some(
            Analysis::WRITE
                .interactive_if(prompt)
                .long_running_if(server),
        );
    }
    None
}

#[test]
fn table_lookup_matches_scanning_the_lists() {
    let mut names: Vec<&str> = include_str!("fs.rs")
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|n| n.len() < 40)
        .collect();
    names.extend(READ.iter().chain(DESTRUCTIVE).chain(SHELLS).chain(REPLS));
    names.extend(KEYBOARD.iter().map(|(n, _, _)| *n));
    #[rustfmt::skip]
    names.extend([
        "mkfs", "mkfs.ext4", "mkfsx", "kubectl", "", "./run.sh", "Vim", "top2", "python3.11",
    ]);
    #[rustfmt::skip]
    let arg_sets: &[&[&str]] = &[
        &[], &["-b"], &["-bn1"], &["-b", "-n", "1"], &["--batch"], &["--version"], &["-h"],
        &["-c", "echo hi"], &["-m", "http.server"], &["script.py"], &["-i"], &["-l"], &["-e"],
        &["-f", "x"], &["-delete"], &["-exec", "rm", "{}", ";"], &["infinity"], &["-r"],
    ];
    let text = Input::Text("rm -rf /".into());
    for stdin in [None, Some(&Input::Opaque), Some(&text)] {
        for loop_cond in [false, true] {
            let ctx = Ctx {
                stdin,
                depth: 0,
                loop_cond,
            };
            for prog in &names {
                for args in arg_sets {
                    let args: Vec<Arg<'_>> = args.iter().map(|a| Arg(a)).collect();
                    assert_eq!(
                        classify(prog, &args, &ctx),
                        reference(prog, &args, &ctx),
                        "{prog} {args:?}"
                    );
                }
            }
        }
    }
}
