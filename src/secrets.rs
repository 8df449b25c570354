//! Which variables are secret, and masking of their values wherever text leaves the process.
//!
//! A variable is secret when its front matter says `secret: true` or when its name matches one of
//! the [`SecretPolicy`] patterns (by default `PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE`,
//! case-insensitive). The [`Masker`] then replaces every occurrence of a secret *value* with
//! [`MASK`], so that a secret never reaches the journal, output files or exports in clear, even
//! when a step echoes it.

use crate::runbook::{Runbook, VarSpec};
use regex::{Regex, RegexBuilder};
use std::collections::BTreeSet;

/// What a secret value is replaced with.
pub const MASK: &str = "••••••";

/// The default name pattern for secret variables (matched case-insensitively).
pub const DEFAULT_SECRET_PATTERN: &str = "PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE";

/// Decides from a variable's name and declaration whether its value is secret.
#[derive(Debug, Clone)]
pub struct SecretPolicy {
    patterns: Vec<Regex>,
}

impl Default for SecretPolicy {
    fn default() -> Self {
        // The default pattern is a constant known to compile; fall back to no pattern at all
        // rather than panicking should that ever change.
        let patterns = build(DEFAULT_SECRET_PATTERN).into_iter().collect();
        SecretPolicy { patterns }
    }
}

fn build(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).case_insensitive(true).build()
}

impl SecretPolicy {
    /// A policy from a list of regular expressions (each matched case-insensitively anywhere in
    /// the name), e.g. from the user's configuration. An empty list means "names never make a
    /// variable secret"; front matter `secret: true` still does.
    pub fn from_patterns<S: AsRef<str>>(patterns: &[S]) -> Result<Self, regex::Error> {
        let patterns = patterns
            .iter()
            .map(|p| build(p.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SecretPolicy { patterns })
    }

    /// True when the variable's value must be masked: the front matter declares it `secret: true`,
    /// or its name matches one of the patterns.
    pub fn is_secret(&self, name: &str, spec: Option<&VarSpec>) -> bool {
        if spec.is_some_and(|s| s.secret) {
            return true;
        }
        self.patterns.iter().any(|re| re.is_match(name))
    }
}

/// The secret values a run uses without the operator typing them: a secret `${VAR}` inherited
/// from the environment, and the front-matter default of a secret variable or placeholder.
pub fn implicit_values(
    runbook: &Runbook,
    policy: &SecretPolicy,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    let specs = &runbook.meta.variables;
    let variables = runbook.steps.iter().flat_map(|s| s.variables.iter());
    let placeholders = runbook.steps.iter().flat_map(|s| s.placeholders.iter());
    let mut names: BTreeSet<&str> = variables.map(|n| n.as_ref()).collect();
    names.extend(specs.keys().map(String::as_str));
    let mut values = Vec::new();
    for name in &names {
        if policy.is_secret(name, specs.get(*name)) {
            values.extend(env(name));
        }
    }
    names.extend(placeholders.map(|n| n.as_ref()));
    for (name, spec) in specs {
        if names.contains(name.as_str()) && policy.is_secret(name, Some(spec)) {
            values.extend(spec.default.clone());
        }
    }
    values
}

/// Holds secret values and masks them in any text.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    values: Vec<String>,
    /// One alternation of all values, longest first, so that a value that contains another is
    /// masked whole (regex alternation is leftmost-first).
    re: Option<Regex>,
}

impl Masker {
    pub fn new() -> Self {
        Masker::default()
    }

    /// Adds a secret value, together with every form placeholder substitution may write it in
    /// (quoted, escaped), so that a substituted command is masked too. Empty values are ignored
    /// (they would match everywhere).
    pub fn add(&mut self, value: &str) {
        if value.is_empty() || self.values.iter().any(|v| v == value) {
            return;
        }
        for form in crate::runbook::vars::written_forms(value) {
            if !self.values.contains(&form) {
                self.values.push(form);
            }
        }
        self.values
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let alternation = self
            .values
            .iter()
            .map(|v| regex::escape(v))
            .collect::<Vec<_>>()
            .join("|");
        // Escaped literals always compile; if the size limit were ever hit, keep the old regex
        // plus a plain-text fallback in `mask`.
        self.re = Regex::new(&alternation).ok();
    }

    /// The secret values, each in every form substitution writes it in.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// True when no secret value is known.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The text with every occurrence of every secret value replaced by [`MASK`].
    pub fn mask(&self, text: &str) -> String {
        if self.values.is_empty() {
            return text.to_string();
        }
        match &self.re {
            Some(re) => re.replace_all(text, MASK).into_owned(),
            None => self
                .values
                .iter()
                .fold(text.to_string(), |acc, v| acc.replace(v.as_str(), MASK)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_matches_names_case_insensitively() {
        let p = SecretPolicy::default();
        for name in [
            "DB_PASSWORD",
            "api_token",
            "SshPrivateKey",
            "AWS_SECRET_ACCESS_KEY",
            "Cred",
        ] {
            let expected = name != "Cred";
            assert_eq!(p.is_secret(name, None), expected, "{name}");
        }
        assert!(p.is_secret("client_credentials", None));
        assert!(!p.is_secret("NAMESPACE", None));
        assert!(!p.is_secret("VERSION", None));
    }

    #[test]
    fn front_matter_secret_wins() {
        let p = SecretPolicy::default();
        let spec = VarSpec {
            secret: true,
            ..VarSpec::default()
        };
        assert!(p.is_secret("DB_HOST", Some(&spec)));
        assert!(!p.is_secret("DB_HOST", Some(&VarSpec::default())));
    }

    #[test]
    fn configurable_patterns() {
        let p = SecretPolicy::from_patterns(&["^pin$", "passphrase"]).unwrap();
        assert!(p.is_secret("PIN", None));
        assert!(!p.is_secret("SPIN", None));
        assert!(p.is_secret("gpg_Passphrase", None));
        assert!(!p.is_secret("DB_PASSWORD", None));
        assert!(SecretPolicy::from_patterns(&["("]).is_err());
        let none = SecretPolicy::from_patterns::<&str>(&[]).unwrap();
        assert!(!none.is_secret("TOKEN", None));
    }

    #[test]
    fn masks_every_occurrence_longest_first() {
        let mut m = Masker::new();
        assert_eq!(m.mask("nothing to hide"), "nothing to hide");
        m.add("hunter2");
        m.add("hunter2-extended");
        m.add("");
        let out = m.mask("pw=hunter2-extended other=hunter2 again hunter2");
        assert_eq!(out, format!("pw={MASK} other={MASK} again {MASK}"));
        assert!(!out.contains("hunter"));
    }

    #[test]
    fn masks_regex_metacharacters_literally() {
        let mut m = Masker::new();
        m.add("a.b*c(d)");
        assert_eq!(m.mask("x a.b*c(d) aXbbc(d)"), format!("x {MASK} aXbbc(d)"));
        let forms = m.values.len();
        m.add("a.b*c(d)");
        assert_eq!(m.values.len(), forms);
        assert!(!m.is_empty());
    }

    #[test]
    fn masks_a_secret_as_substitution_wrote_it() {
        use crate::runbook::{parse, vars::substitute_placeholders};
        let secret = "Pa$$w0rd'\"`x`";
        let mut m = Masker::new();
        m.add(secret);
        let book = parse(concat!(
            "```bash\n",
            "psql -c <db_password>\n",
            "echo \"pw=<db_password>\"\n",
            "echo 'pw=<db_password>'\n",
            "echo $'pw=<db_password>'\n",
            "echo `echo \"<db_password>\"`\n",
            "cat <<EOF\npw=<db_password>\nEOF\n",
            "cat <<'EOF'\npw=<db_password>\nEOF\n",
            "```\n"
        ));
        let script: Vec<&str> = book.steps[0]
            .commands
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        let written = substitute_placeholders(&script.join("\n"), &|_| Some(secret.to_string()));
        assert!(!written.contains("<db_password>"), "{written}");
        let masked = m.mask(&written);
        for piece in ["Pa", "w0rd"] {
            assert!(!masked.contains(piece), "{piece} in {masked}");
        }
        assert_eq!(masked.matches(MASK).count(), 7, "{masked}");
    }
}
