//! One run's output pane: a `vt100` screen with bounded scrollback, follow mode, scrolling,
//! search over screen + scrollback, and key → bytes for interactive mode.

use super::layout::MIN_PTY;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunExit {
    pub exit_code: Option<i32>,
    pub stopped: bool,
    pub duration_ms: u64,
}

impl RunExit {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0) && !self.stopped
    }
}

/// A search in the output: matches as (line, column, length in chars) over all lines
/// (scrollback first, then the screen), and the current one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutputSearch {
    pub query: String,
    pub matches: Vec<(usize, usize, usize)>,
    pub current: usize,
}

/// The terminal of one run.
pub struct Pane {
    pub id: u64,
    pub step: usize,
    pub command: Option<usize>,
    pub parser: vt100::Parser,
    pub started_ms: u64,
    pub exit: Option<RunExit>,
    /// Stay at the bottom as output arrives.
    pub follow: bool,
    /// Lines currently held in scrollback (kept in step with the parser).
    pub history: usize,
    pub search: Option<OutputSearch>,
    /// Secrets held back from the emulator while they might still be completed.
    pub mask: super::screen_mask::StreamMask,
}

impl std::fmt::Debug for Pane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pane")
            .field("id", &self.id)
            .field("step", &self.step)
            .field("exit", &self.exit)
            .field("follow", &self.follow)
            .field("history", &self.history)
            .finish_non_exhaustive()
    }
}

impl Pane {
    pub fn new(id: u64, step: usize, size: (u16, u16), scrollback: usize, now_ms: u64) -> Pane {
        Pane {
            id,
            step,
            command: None,
            parser: vt100::Parser::new(size.0.max(MIN_PTY.0), size.1.max(MIN_PTY.1), scrollback),
            started_ms: now_ms,
            exit: None,
            follow: true,
            history: 0,
            search: None,
            mask: Default::default(),
        }
    }

    /// Lines in scrollback, measured by asking the parser to scroll as far as it can.
    fn measure_history(&mut self) -> usize {
        let screen = self.parser.screen_mut();
        let offset = screen.scrollback();
        screen.set_scrollback(usize::MAX);
        let len = screen.scrollback();
        screen.set_scrollback(offset);
        len
    }

    /// Feeds PTY bytes. When not following, the view stays on the same lines.
    pub fn feed(&mut self, bytes: &[u8]) {
        let offset = self.parser.screen().scrollback();
        self.parser.process(bytes);
        let before = self.history;
        self.history = self.measure_history();
        let screen = self.parser.screen_mut();
        if self.follow {
            screen.set_scrollback(0);
        } else {
            screen.set_scrollback(offset + self.history.saturating_sub(before));
        }
    }

    /// Scrolls back (`delta > 0`) or forward; reaching the bottom turns follow back on.
    pub fn scroll(&mut self, delta: isize) {
        let screen = self.parser.screen_mut();
        let target = screen.scrollback().saturating_add_signed(delta);
        screen.set_scrollback(target);
        self.follow = screen.scrollback() == 0;
    }

    /// Toggles follow mode; turning it on jumps to the bottom.
    pub fn toggle_follow(&mut self) {
        self.follow = !self.follow;
        if self.follow {
            self.parser.screen_mut().set_scrollback(0);
        }
    }

    /// Resizes the terminal (the PTY gets the same size through `Effect::Resize`).
    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.parser
            .screen_mut()
            .set_size(rows.max(MIN_PTY.0), cols.max(MIN_PTY.1));
        self.history = self.measure_history();
    }

    /// The text of every line: scrollback, then the screen. Leaves the view where it was.
    pub fn lines(&mut self) -> Vec<String> {
        let screen = self.parser.screen_mut();
        let (rows, cols) = screen.size();
        let offset = screen.scrollback();
        screen.set_scrollback(usize::MAX);
        let history = screen.scrollback();
        let mut lines = Vec::with_capacity(history + usize::from(rows));
        let mut top = 0;
        while top < history {
            screen.set_scrollback(history - top);
            let take = usize::from(rows).min(history - top);
            lines.extend(screen.rows(0, cols).take(take));
            top += take;
        }
        screen.set_scrollback(0);
        lines.extend(screen.rows(0, cols));
        screen.set_scrollback(offset);
        lines
    }

    /// The line index (into [`Pane::lines`]) shown on the pane's first row.
    pub fn view_top(&self) -> usize {
        self.history
            .saturating_sub(self.parser.screen().scrollback())
    }

    /// Finds `query` (case-insensitive) and shows the last match, the one nearest the bottom.
    pub fn search(&mut self, query: &str) {
        let needle = query.to_lowercase();
        let mut matches = Vec::new();
        if !needle.is_empty() {
            for (i, line) in self.lines().iter().enumerate() {
                let hay = line.to_lowercase();
                let mut from = 0;
                while let Some(at) = hay.get(from..).and_then(|h| h.find(&needle)) {
                    let col = hay[..from + at].chars().count();
                    matches.push((i, col, needle.chars().count()));
                    from += at + needle.len().max(1);
                }
            }
        }
        let current = matches.len().saturating_sub(1);
        self.search = Some(OutputSearch {
            query: query.to_string(),
            matches,
            current,
        });
        self.show_current_match();
    }

    /// Moves to the next (`forward` = further down) or previous match.
    pub fn next_match(&mut self, forward: bool) {
        if let Some(s) = self.search.as_mut().filter(|s| !s.matches.is_empty()) {
            let n = s.matches.len();
            s.current = if forward {
                (s.current + 1) % n
            } else {
                (s.current + n - 1) % n
            };
        }
        self.show_current_match();
    }

    /// Scrolls so that the current match is on screen.
    fn show_current_match(&mut self) {
        let Some(&(line, _, _)) = self.search.as_ref().and_then(|s| s.matches.get(s.current))
        else {
            return;
        };
        let rows = usize::from(self.parser.screen().size().0);
        let top = self.view_top();
        if line < top || line >= top + rows {
            // Put the match in the middle of the pane where possible.
            let want_top = line.saturating_sub(rows / 2);
            self.parser
                .screen_mut()
                .set_scrollback(self.history.saturating_sub(want_top));
            self.follow = self.parser.screen().scrollback() == 0;
        }
    }
}

/// The bytes a key sends to a program in a terminal (`app_cursor`: DECCKM arrow encoding).
pub fn key_bytes(ev: &KeyEvent, app_cursor: bool) -> Option<Vec<u8>> {
    let arrow = |c: u8| {
        if app_cursor {
            vec![0x1b, b'O', c]
        } else {
            vec![0x1b, b'[', c]
        }
    };
    let bytes = match ev.code {
        KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => {
            let b = u8::try_from(c.to_ascii_lowercase()).ok()?;
            match b {
                b'a'..=b'z' => vec![b - b'a' + 1],
                b' ' | b'@' => vec![0],
                b'[' => vec![0x1b],
                b'\\' => vec![0x1c],
                _ => return None,
            }
        }
        KeyCode::Char(c) => {
            let mut out = Vec::new();
            if ev.modifiers.contains(KeyModifiers::ALT) {
                out.push(0x1b);
            }
            out.extend(c.to_string().as_bytes());
            out
        }
        KeyCode::Enter => vec![b'\r'],
        KeyCode::Tab => vec![b'\t'],
        KeyCode::BackTab => b"\x1b[Z".to_vec(),
        KeyCode::Backspace => vec![0x7f],
        KeyCode::Esc => vec![0x1b],
        KeyCode::Up => arrow(b'A'),
        KeyCode::Down => arrow(b'B'),
        KeyCode::Right => arrow(b'C'),
        KeyCode::Left => arrow(b'D'),
        KeyCode::Home => b"\x1b[H".to_vec(),
        KeyCode::End => b"\x1b[F".to_vec(),
        KeyCode::PageUp => b"\x1b[5~".to_vec(),
        KeyCode::PageDown => b"\x1b[6~".to_vec(),
        KeyCode::Delete => b"\x1b[3~".to_vec(),
        KeyCode::Insert => b"\x1b[2~".to_vec(),
        _ => return None,
    };
    Some(bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pane_with_lines(n: usize) -> Pane {
        let mut p = Pane::new(1, 0, (5, 20), 100, 0);
        for i in 0..n {
            p.feed(format!("line {i}\r\n").as_bytes());
        }
        p
    }

    #[test]
    fn scrollback_is_tracked_and_lines_cover_everything() {
        let mut p = pane_with_lines(12);
        assert_eq!(p.history, 8);
        let lines = p.lines();
        assert_eq!(lines[0], "line 0");
        assert_eq!(lines[11], "line 11");
        assert_eq!(p.parser.screen().scrollback(), 0);
    }

    #[test]
    fn scrolling_up_stops_follow_and_holds_the_view() {
        let mut p = pane_with_lines(12);
        p.scroll(3);
        assert!(!p.follow);
        let top = p.view_top();
        p.feed(b"more 1\r\nmore 2\r\n");
        assert_eq!(
            p.view_top(),
            top,
            "view must not drift while reading history"
        );
        p.scroll(-100);
        assert!(p.follow);
    }

    #[test]
    fn search_finds_matches_in_scrollback_and_jumps() {
        let mut p = pane_with_lines(30);
        p.search("LINE 1");
        let s = p.search.clone().unwrap();
        // line 1, line 10..19
        assert_eq!(s.matches.len(), 11);
        assert_eq!(s.current, 10);
        p.next_match(true);
        assert_eq!(p.search.as_ref().unwrap().current, 0);
        assert!(p.view_top() <= 1, "first match is on screen");
        assert!(!p.follow);
    }

    #[test]
    fn carriage_return_overwrites() {
        let mut p = Pane::new(1, 0, (3, 20), 10, 0);
        p.feed(b"progress 10%\rprogress 99%\r\n");
        assert_eq!(p.lines()[0], "progress 99%");
    }

    #[test]
    fn keys_become_terminal_bytes() {
        let k = |c, m| key_bytes(&KeyEvent::new(c, m), false).unwrap();
        assert_eq!(k(KeyCode::Char('c'), KeyModifiers::CONTROL), vec![3]);
        assert_eq!(k(KeyCode::Enter, KeyModifiers::NONE), b"\r".to_vec());
        assert_eq!(k(KeyCode::Up, KeyModifiers::NONE), b"\x1b[A".to_vec());
        assert_eq!(
            k(KeyCode::Char('é'), KeyModifiers::NONE),
            "é".as_bytes().to_vec()
        );
        let up = key_bytes(&KeyEvent::new(KeyCode::Up, KeyModifiers::NONE), true).unwrap();
        assert_eq!(up, b"\x1bOA".to_vec());
    }
}
