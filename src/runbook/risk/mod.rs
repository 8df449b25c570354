//! PURE. Risk, interactivity and long-running detection for one command.
//!
//! The command text is read the way a shell would (`lex` → `simple`): simple commands split
//! along pipes, chains, `;`, `&` and newlines, quotes removed, redirections dropped, heredoc
//! bodies and here-strings kept as the stdin of their command. Each simple command is then
//! classified by its program (`kube`, `cloud`, `db`, `redis`, `net`, `tools`, `fs`; SQL text
//! is read by `sql`), after unwrapping prefixes such as `sudo` or `sh -c` (`wrap`). Nested
//! commands (`$(…)`, payloads) are analysed recursively; the highest risk wins. Unknown
//! programs are `write`: unknown is not safe. The rules are those of "Commands inside a block"
//! in RUNBOOK-MODEL.md.
//!
//! Most commands are one line of words (`kubectl get pods -n prod`): `plain` reads those
//! without the parser, exactly as the general path would (a property test checks it). The
//! hot paths avoid allocating: words are borrowed `&str` ([`Arg`]), short lists are kept
//! inline (`small`), and the program name is looked up once (`dispatch`).

mod args;
mod bare_sql;
mod cloud;
mod db;
mod dispatch;
mod flags;
mod fs;
#[cfg(test)]
mod fs_tests;
mod kube;
#[cfg(test)]
mod kube_ref;
mod lex;
#[cfg(test)]
mod lex_equiv_tests;
#[cfg(test)]
mod lex_ref;
mod net;
mod plain;
#[cfg(test)]
mod plain_tests;
mod redis;
mod scan;
mod simple;
mod small;
mod sql;
#[cfg(test)]
mod sql_ref;
mod table;
mod tools;
mod wrap;

#[cfg(test)]
mod tests;

use super::Risk;
use simple::{Input, Simple, for_each_simple};
use small::Small;

/// A text that is borrowed from the command text unless quote removal (or joining) changed it:
/// the words the parser keeps, substitution bodies, stdin texts.
pub(crate) type Text<'a> = std::borrow::Cow<'a, str>;

/// A word of a simple command as the classifiers read it: a `&str` (borrowed from the command
/// text, or from the [`Text`] the parser keeps), that compares with string literals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Arg<'a>(pub &'a str);

impl std::ops::Deref for Arg<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        self.0
    }
}

impl PartialEq<str> for Arg<'_> {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Arg<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl std::borrow::Borrow<str> for Arg<'_> {
    fn borrow(&self) -> &str {
        self.0
    }
}

/// `as_str` for [`Arg`], so that words read the same as the `String`s they replace.
pub(crate) trait AsStr {
    fn as_str(&self) -> &str;
}

impl AsStr for Arg<'_> {
    fn as_str(&self) -> &str {
        self.0
    }
}

impl AsStr for Text<'_> {
    fn as_str(&self) -> &str {
        self
    }
}

/// What [`analyze`] finds out about one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    pub risk: Risk,
    /// Needs a keyboard (a shell, an editor, a REPL, a password prompt…).
    pub interactive: bool,
    /// Runs until stopped (`-w`, `logs -f`, `port-forward`, `watch`, trailing `&`…).
    pub long_running: bool,
}

impl Analysis {
    pub const READ: Analysis = Analysis::of(Risk::Read);
    pub const WRITE: Analysis = Analysis::of(Risk::Write);
    pub const DESTRUCTIVE: Analysis = Analysis::of(Risk::Destructive);

    /// A command of the given risk that is neither interactive nor long-running.
    pub const fn of(risk: Risk) -> Analysis {
        Analysis {
            risk,
            interactive: false,
            long_running: false,
        }
    }

    /// Combines two parts of one command line: highest risk, either flag.
    pub fn join(self, other: Analysis) -> Analysis {
        Analysis {
            risk: self.risk.max(other.risk),
            interactive: self.interactive || other.interactive,
            long_running: self.long_running || other.long_running,
        }
    }

    /// Raises the risk to at least `risk`.
    pub fn at_least(mut self, risk: Risk) -> Analysis {
        self.risk = self.risk.max(risk);
        self
    }

    /// Marks the command interactive when `yes`.
    pub fn interactive_if(mut self, yes: bool) -> Analysis {
        self.interactive |= yes;
        self
    }

    /// Marks the command long-running when `yes`.
    pub fn long_running_if(mut self, yes: bool) -> Analysis {
        self.long_running |= yes;
        self
    }
}

/// Nesting limit for `$(…)` and payloads: deeper text is not analysed and counts as `write`.
const MAX_DEPTH: usize = 16;

/// Classifies a command's full text (heredoc bodies included). Never panics.
pub fn analyze(text: &str) -> Analysis {
    analyze_at(text, 0)
}

/// The program word of each simple command that runs on this machine, deduplicated in order:
/// after prefixes (`sudo`, `env`, `nohup`, `time`, `VAR=…`), without shell builtins and
/// keywords, including `$(…)` and `sh -c` payloads (but not remote payloads such as
/// `kubectl exec … -- cmd` or `ssh host cmd`). Words that are expansions (`$KUBECTL`) or
/// placeholders (`<tool>`) are left out. Paths (`./deploy.sh`) are returned as written.
pub fn program_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    names_at(text, 0, &mut out);
    out
}

/// How one simple command is being looked at: its stdin and how deep in nesting it is.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub stdin: Option<&'a Input<'a>>,
    pub depth: usize,
    /// The condition of a `while`/`until` loop.
    pub loop_cond: bool,
}

impl Ctx<'_> {
    /// Analyses a payload given as words (`sudo CMD`, `kubectl exec … -- CMD`); it shares
    /// this command's stdin.
    pub fn words(&self, words: &[Arg<'_>]) -> Analysis {
        classify(
            words,
            &Ctx {
                depth: self.depth + 1,
                loop_cond: false,
                ..*self
            },
        )
    }

    /// Analyses a payload given as shell text (`sh -c TEXT`, `watch TEXT`).
    pub fn script(&self, text: &str) -> Analysis {
        analyze_at(text, self.depth + 1)
    }
}

fn analyze_at(text: &str, depth: usize) -> Analysis {
    if depth > MAX_DEPTH {
        return Analysis::WRITE;
    }
    if bare_sql::is_bare_sql(text) {
        return Analysis::of(sql::sql_risk(text));
    }
    plain::with_words(text, |words| analyze_plain(words, depth))
        .unwrap_or_else(|| analyze_general(text, depth))
}

/// A plain one-line command ([`plain`]): one simple command without stdin or substitutions.
fn analyze_plain(words: &[Arg<'_>], depth: usize) -> Analysis {
    let ctx = Ctx {
        stdin: None,
        depth,
        loop_cond: false,
    };
    classify(words, &ctx)
}

/// Any text: lexed and split into simple commands.
fn analyze_general(text: &str, depth: usize) -> Analysis {
    let mut acc = Analysis::READ;
    for_each_simple(text, |s, prev| {
        // What the previous command wrote, when this one reads it through a pipe.
        let piped = match (&s.stdin, s.piped_in) {
            (None, true) => Some(prev.and_then(output_of).map_or(Input::Opaque, Input::Text)),
            _ => None,
        };
        let stdin = s.stdin.as_ref().or(piped.as_ref());
        acc = acc.join(analyze_simple(s, stdin, depth));
        may_output(s)
    });
    acc
}

fn analyze_simple(s: &Simple, stdin: Option<&Input>, depth: usize) -> Analysis {
    let mut a = Analysis::READ;
    for sub in &s.subs {
        a = a.at_least(analyze_at(sub, depth + 1).risk);
    }
    let ctx = Ctx {
        stdin,
        depth,
        loop_cond: s.loop_cond,
    };
    // `while true; do …; done` polls until stopped.
    let endless_loop = s.loop_cond && matches!(s.words.as_slice(), [w] if w == "true" || w == ":");
    a.join(with_args(&s.words, |args| classify(args, &ctx)))
        .long_running_if(s.background || endless_loop)
}

/// Calls `f` with the words the parser kept, as the classifiers read them.
fn with_args<R>(words: &[Text<'_>], f: impl FnOnce(&[Arg<'_>]) -> R) -> R {
    let mut args: Small<Arg<'_>, 8> = Small::default();
    args.extend(words.iter().map(|w| Arg(w)));
    f(&args)
}

/// Classifies one simple command given as words (assignments already removed).
fn classify(words: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    if ctx.depth > MAX_DEPTH {
        return Analysis::WRITE;
    }
    let Some(first) = words.first() else {
        return Analysis::READ;
    };
    let prog = args::base(first);
    let entry = dispatch::lookup(prog);
    if entry.wraps
        && let Some(a) = wrap::classify(words, ctx)
    {
        return a;
    }
    by_family(entry, prog, &words[1..], ctx)
}

/// Classifies a command by its program name (wrappers already handled).
#[cfg(test)]
fn by_program(prog: &str, rest: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    by_family(dispatch::lookup(prog), prog, rest, ctx)
}

/// Classifies a command by its program name, starting the chain at its family; `fs` comes
/// last, with the list it found the name in.
fn by_family(entry: dispatch::Entry, prog: &str, rest: &[Arg<'_>], ctx: &Ctx) -> Analysis {
    // The classifiers in order; those before `entry.family` cannot claim `prog`.
    let chain: [Classifier; 5] = [
        kube::classify,
        cloud::classify,
        db::classify,
        net::classify,
        tools::classify,
    ];
    chain
        .get(entry.family as usize..)
        .unwrap_or_default()
        .iter()
        .find_map(|c| c(prog, rest, ctx))
        .or_else(|| fs::classify_listed(entry.fs, prog, rest, ctx))
        .unwrap_or(Analysis::WRITE)
}

/// The shape of every program classifier: `None` when the program is not its own.
type Classifier = fn(&str, &[Arg<'_>], &Ctx) -> Option<Analysis>;

/// What a command writes to a pipe, when it is text we can see (`cat <<EOF`, `echo …`), so
/// that `echo "DROP TABLE x" | psql` is judged by its SQL.
/// Whether [`output_of`] may find something: the commands it knows.
fn may_output(s: &Simple) -> bool {
    let prog = s.words.first().map(|w| args::base(w));
    matches!(prog, Some("cat" | "echo" | "printf"))
}

/// The command's stdin text is taken, not copied: the command has been analysed already.
fn output_of<'a>(s: &mut Simple<'a>) -> Option<Text<'a>> {
    let prog = args::base(s.words.first()?);
    match prog {
        "cat" if s.words.len() == 1 || s.words[1..].iter().all(|w| w == "-") => {
            match &mut s.stdin {
                Some(Input::Text(t)) => Some(std::mem::take(t)),
                _ => None,
            }
        }
        "echo" | "printf" => {
            let args = s.words[1..]
                .iter()
                .skip_while(|w| matches!(w.as_str(), "-n" | "-e" | "-E"));
            // The words joined with single spaces.
            let size = args.clone().map(|w| w.len() + 1).sum();
            let mut out = String::with_capacity(size);
            for (k, w) in args.enumerate() {
                if k > 0 {
                    out.push(' ');
                }
                out.push_str(w);
            }
            Some(Text::Owned(out))
        }
        _ => None,
    }
}

fn names_at(text: &str, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH || bare_sql::is_bare_sql(text) {
        return;
    }
    if plain::with_words(text, |words| names_of_words(words, None, depth, out)).is_none() {
        names_general(text, depth, out);
    }
}

fn names_general(text: &str, depth: usize, out: &mut Vec<String>) {
    for_each_simple(text, |s, _| {
        for sub in &s.subs {
            names_at(sub, depth + 1, out);
        }
        with_args(&s.words, |args| {
            names_of_words(args, s.stdin.as_ref(), depth, out)
        });
        false
    });
}

fn names_of_words(words: &[Arg<'_>], stdin: Option<&Input>, depth: usize, out: &mut Vec<String>) {
    let Some(first) = words.first() else { return };
    if depth > MAX_DEPTH {
        return;
    }
    let push = |out: &mut Vec<String>| {
        let name = first.as_str();
        let expansion = name.contains('$') || name.contains('`') || name.starts_with('<');
        if !expansion && !wrap::is_builtin(name) && !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    };
    match wrap::unwrap(words, stdin) {
        Some(wrap::Unwrapped::Words { rest, prefix, .. }) => {
            if !prefix {
                push(out);
            }
            names_of_words(rest, stdin, depth + 1, out);
        }
        Some(wrap::Unwrapped::Script { text, .. }) => {
            push(out);
            names_at(&text, depth + 1, out);
        }
        None => push(out),
    }
}
