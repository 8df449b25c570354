//! Semantic colours for the TUI, read from `themes/*.toml`.
//!
//! Widgets never name a raw colour: they ask the [`Theme`] for a semantic slot (`step_running`,
//! `risk_destructive`, `border_focused`…). Three themes are embedded (`dark`, `light`,
//! `high-contrast`); a user file `<config dir>/themes/NAME.toml` overrides them field by field
//! (`extends = "light"` picks the base, default: the built-in theme of the same name, else `dark`).
//! With `NO_COLOR` set, [`Theme::no_color`] gives styles made of modifiers only.
//!
//! Parsing is pure ([`parse_theme`], [`Theme::merged`]); [`load_theme`] is the thin IO edge.

use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::path::Path;

/// Declares the slots once: the `Slot` enum, its names, and the `Palette` lookup.
macro_rules! slots {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// A semantic colour slot; the TOML key is the snake_case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Slot { $($variant),+ }

        impl Slot {
            /// Every slot, in declaration order.
            pub const ALL: &'static [Slot] = &[$(Slot::$variant),+];

            /// The TOML key of this slot.
            pub fn name(self) -> &'static str {
                match self { $(Slot::$variant => $name),+ }
            }

            /// The slot named `name` in a theme file.
            pub fn from_name(name: &str) -> Option<Slot> {
                match name { $($name => Some(Slot::$variant),)+ _ => None }
            }
        }
    };
}

slots! {
    Background => "background",
    Text => "text",
    Muted => "muted",
    Accent => "accent",
    Border => "border",
    BorderFocused => "border_focused",
    Selection => "selection",
    SelectionText => "selection_text",
    StepPending => "step_pending",
    StepRunning => "step_running",
    StepDone => "step_done",
    StepFailed => "step_failed",
    StepSkipped => "step_skipped",
    RiskWrite => "risk_write",
    RiskDestructive => "risk_destructive",
    OutputBg => "output_bg",
    StatusBar => "status_bar",
    StatusText => "status_text",
    ProductionBadge => "production_badge",
    BadgeText => "badge_text",
    Heading => "heading",
    Code => "code",
    CodeBg => "code_bg",
    SyntaxComment => "syntax_comment",
    SyntaxString => "syntax_string",
    SyntaxVariable => "syntax_variable",
    SyntaxOption => "syntax_option",
    SyntaxProgram => "syntax_program",
    Placeholder => "placeholder",
    SearchMatch => "search_match",
    Warning => "warning",
}

/// A theme: one optional colour per slot (`None` = the terminal's default / no colour).
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    colors: BTreeMap<Slot, Color>,
}

/// A theme file as written: an optional base and colours by slot name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThemeSpec {
    pub extends: Option<String>,
    pub colors: BTreeMap<Slot, Color>,
}

/// A theme file that could not be used; `line` is 1-based when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ThemeError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Names of the embedded themes.
pub const BUILTIN: &[&str] = &["dark", "light", "high-contrast"];

fn builtin_text(name: &str) -> Option<&'static str> {
    match name {
        "dark" => Some(include_str!("../themes/dark.toml")),
        "light" => Some(include_str!("../themes/light.toml")),
        "high-contrast" => Some(include_str!("../themes/high-contrast.toml")),
        _ => None,
    }
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |head| head.matches('\n').count() + 1)
}

/// Parses a theme file. Unknown slots and bad colours are errors with their line.
pub fn parse_theme(text: &str, file: &str) -> Result<ThemeSpec, ThemeError> {
    let err = |offset: usize, message: String| ThemeError {
        file: file.to_string(),
        line: line_of(text, offset),
        message,
    };
    // Spanned keys and values give each problem its line; `extends` is the one non-colour key.
    let raw: BTreeMap<toml::Spanned<String>, toml::Spanned<String>> = toml::from_str(text)
        .map_err(|e| {
            err(
                e.span().map_or(0, |s| s.start),
                e.message().trim().to_string(),
            )
        })?;
    let mut spec = ThemeSpec::default();
    for (key, value) in raw {
        if key.get_ref() == "extends" {
            spec.extends = Some(value.into_inner());
            continue;
        }
        let Some(slot) = Slot::from_name(key.get_ref()) else {
            return Err(err(
                key.span().start,
                format!("unknown theme slot `{}`", key.get_ref()),
            ));
        };
        let color = value.get_ref().parse::<Color>().map_err(|_| {
            err(
                value.span().start,
                format!("bad colour `{}`", value.get_ref()),
            )
        })?;
        spec.colors.insert(slot, color);
    }
    Ok(spec)
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin("dark").unwrap_or_else(Theme::no_color)
    }
}

impl Theme {
    /// An embedded theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let spec = parse_theme(builtin_text(name)?, name).ok()?;
        Some(Theme {
            name: name.to_string(),
            colors: spec.colors,
        })
    }

    /// The `NO_COLOR` theme: no colours at all; widgets fall back on modifiers.
    pub fn no_color() -> Theme {
        Theme {
            name: "no-color".to_string(),
            colors: BTreeMap::new(),
        }
    }

    /// This theme with `spec`'s colours laid over it, field by field.
    pub fn merged(&self, name: &str, spec: &ThemeSpec) -> Theme {
        let mut colors = self.colors.clone();
        colors.extend(spec.colors.iter().map(|(k, v)| (*k, *v)));
        Theme {
            name: name.to_string(),
            colors,
        }
    }

    /// True when the theme has no colours (NO_COLOR).
    pub fn is_monochrome(&self) -> bool {
        self.colors.is_empty()
    }

    /// The colour of a slot, if any.
    pub fn color(&self, slot: Slot) -> Option<Color> {
        self.colors.get(&slot).copied()
    }

    /// Foreground style of a slot.
    pub fn fg(&self, slot: Slot) -> Style {
        self.color(slot)
            .map_or_else(Style::default, |c| Style::default().fg(c))
    }

    /// Background style of a slot.
    pub fn bg(&self, slot: Slot) -> Style {
        self.color(slot)
            .map_or_else(Style::default, |c| Style::default().bg(c))
    }

    /// The base style of the whole screen.
    pub fn base(&self) -> Style {
        self.bg(Slot::Background).patch(self.fg(Slot::Text))
    }

    /// The highlighted row of a list; reversed when there is no colour.
    pub fn selection(&self) -> Style {
        match self.color(Slot::Selection) {
            Some(bg) => Style::default().bg(bg).patch(self.fg(Slot::SelectionText)),
            None => Style::default().add_modifier(Modifier::REVERSED),
        }
    }

    /// A pane border; focused borders are also bold so focus shows without colour.
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Slot::BorderFocused).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Slot::Border)
        }
    }

    /// A solid badge (`LIVE`, the production context) on a slot's colour.
    pub fn badge(&self, slot: Slot) -> Style {
        match self.color(slot) {
            Some(bg) => Style::default()
                .bg(bg)
                .patch(self.fg(Slot::BadgeText))
                .add_modifier(Modifier::BOLD),
            None => Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        }
    }

    /// Dimmed secondary text.
    pub fn muted(&self) -> Style {
        match self.color(Slot::Muted) {
            Some(c) => Style::default().fg(c),
            None => Style::default().add_modifier(Modifier::DIM),
        }
    }
}

/// Resolves theme `name`: user file over its base (`extends`, else the built-in of the same name,
/// else `dark`). Pure: `user` is the text of `<config dir>/themes/NAME.toml` when it exists.
pub fn resolve_theme(name: &str, user: Option<(&str, &str)>) -> (Theme, Vec<ThemeError>) {
    let mut problems = Vec::new();
    let spec = match user.map(|(text, file)| parse_theme(text, file)) {
        Some(Ok(spec)) => Some(spec),
        Some(Err(mut e)) => {
            let fallback = if Theme::builtin(name).is_some() {
                name
            } else {
                "dark"
            };
            e.message = format!("{}; using `{fallback}`", e.message);
            problems.push(e);
            None
        }
        None => None,
    };
    let base_name = spec
        .as_ref()
        .and_then(|s| s.extends.clone())
        .unwrap_or_else(|| name.to_string());
    let base = match Theme::builtin(&base_name) {
        Some(t) => t,
        None => {
            // A file that failed to parse has said so already.
            if spec.is_none() && user.is_none() {
                problems.push(ThemeError {
                    file: format!("themes/{name}.toml"),
                    line: 1,
                    message: format!("no theme named `{name}`; using `dark`"),
                });
            }
            Theme::default()
        }
    };
    match spec {
        Some(spec) => (base.merged(name, &spec), problems),
        None => (base, problems),
    }
}

/// IO edge: loads theme `name`, honouring `NO_COLOR` and user themes under `config_dir/themes`.
pub fn load_theme(
    name: &str,
    config_dir: Option<&Path>,
    no_color: bool,
) -> (Theme, Vec<ThemeError>) {
    if no_color {
        return (Theme::no_color(), Vec::new());
    }
    let path = config_dir.map(|d| d.join("themes").join(format!("{name}.toml")));
    let file = path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let text = match path.as_ref().map(std::fs::read_to_string) {
        Some(Ok(text)) => Some(text),
        Some(Err(e)) if e.kind() != std::io::ErrorKind::NotFound => {
            let problem = ThemeError {
                file,
                line: 1,
                message: format!("cannot read: {e}; using `dark`"),
            };
            return (Theme::default(), vec![problem]);
        }
        _ => None,
    };
    resolve_theme(name, text.as_deref().map(|t| (t, file.as_str())))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse_and_fill_every_slot() {
        for name in BUILTIN {
            let theme = Theme::builtin(name).unwrap();
            for slot in Slot::ALL {
                assert!(theme.color(*slot).is_some(), "{name} lacks {}", slot.name());
            }
        }
    }

    #[test]
    fn user_theme_overrides_field_by_field() {
        let text = "extends = \"light\"\naccent = \"#ff0000\"\n";
        let (theme, problems) = resolve_theme("mine", Some((text, "mine.toml")));
        assert!(problems.is_empty());
        let light = Theme::builtin("light").unwrap();
        assert_eq!(theme.color(Slot::Accent), Some(Color::Rgb(255, 0, 0)));
        assert_eq!(theme.color(Slot::Text), light.color(Slot::Text));
        assert_eq!(theme.name, "mine");
    }

    #[test]
    fn user_file_named_like_builtin_extends_it() {
        let (theme, _) = resolve_theme("high-contrast", Some(("muted = \"red\"", "f")));
        let hc = Theme::builtin("high-contrast").unwrap();
        assert_eq!(theme.color(Slot::Muted), Some(Color::Red));
        assert_eq!(theme.color(Slot::Border), hc.color(Slot::Border));
    }

    #[test]
    fn unknown_slot_and_bad_colour_name_their_line() {
        let e = parse_theme("text = \"white\"\n\nbogus = \"red\"\n", "t.toml").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (3, "t.toml"));
        assert!(e.message.contains("bogus"));
        let e = parse_theme("text = \"white\"\naccent = \"#zzz\"\n", "t.toml").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("t.toml:2: bad colour"));
    }

    #[test]
    fn broken_user_theme_falls_back_with_a_message() {
        let (theme, problems) = resolve_theme("dark", Some(("text = ", "u.toml")));
        assert_eq!(theme, Theme::builtin("dark").unwrap());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].file, "u.toml");
    }

    #[test]
    fn unknown_theme_name_is_reported() {
        let (theme, problems) = resolve_theme("nope", None);
        assert_eq!(theme.name, "dark");
        assert!(problems[0].message.contains("nope"));
    }

    #[test]
    fn loads_user_themes_from_the_config_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        std::fs::write(
            dir.path().join("themes/ops.toml"),
            "extends = \"light\"\nwarning = \"208\"\n",
        )
        .unwrap();
        let (t, problems) = load_theme("ops", Some(dir.path()), false);
        assert!(problems.is_empty());
        assert_eq!(t.color(Slot::Warning), Some(Color::Indexed(208)));
        assert_eq!(
            t.color(Slot::Background),
            Theme::builtin("light").unwrap().color(Slot::Background)
        );
        let (t, problems) = load_theme("light", Some(dir.path()), false);
        assert_eq!(
            (t, problems.len()),
            (Theme::builtin("light").unwrap(), 0),
            "no user file: built-in"
        );
    }

    #[test]
    fn no_color_uses_modifiers_only() {
        let t = Theme::no_color();
        assert!(t.is_monochrome());
        assert_eq!(
            t.selection(),
            Style::default().add_modifier(Modifier::REVERSED)
        );
        assert!(t.border(true).add_modifier.contains(Modifier::BOLD));
        assert_eq!(t.fg(Slot::Accent), Style::default());
        let (t, _) = load_theme("dark", None, true);
        assert!(t.is_monochrome());
    }

    #[test]
    fn unreadable_or_broken_theme_files_say_so_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes")).unwrap();
        std::fs::write(dir.path().join("themes/broken.toml"), [0xff, 0xfe, b'x']).unwrap();
        let (_, p) = load_theme("broken", Some(dir.path()), false);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.starts_with("cannot read: "), "{p:?}");
        assert!(p[0].message.ends_with("; using `dark`"), "{p:?}");
        std::fs::write(dir.path().join("themes/bad.toml"), "accent = = 1\n").unwrap();
        let (_, p) = load_theme("bad", Some(dir.path()), false);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(!p[0].message.contains("no theme named"), "{p:?}");
        assert!(p[0].message.ends_with("; using `dark`"), "{p:?}");
        let (_, p) = load_theme("missing", Some(dir.path()), false);
        assert!(p[0].message.contains("no theme named `missing`"), "{p:?}");
    }
}
