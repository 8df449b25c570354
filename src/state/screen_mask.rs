//! PURE. Secrets masked in a pane's byte stream before the terminal emulator draws them, so a
//! token a step echoes is not on screen while the incident call shares it. The stream comes in
//! arbitrary chunks: an ending that could be the start of a secret is held back until the next
//! chunk tells (or [`StreamMask::flush`] gives it up, so a prompt never waits for output that
//! is not coming). A secret broken by escape sequences (colours between its characters) or
//! drawn by cursor movement is not recognised: the journal's line-based masking still is.

use crate::secrets::MASK;
use std::borrow::Cow;

impl super::State {
    /// Recomputes what output panes mask: the journal's secrets, the secret values typed in
    /// this session and secret variables earlier steps left in the shell.
    pub(crate) fn refresh_secrets(&mut self) {
        let typed = self
            .vars
            .values()
            .filter(|v| v.secret)
            .map(|v| v.value.clone());
        let carried = self
            .carried
            .iter()
            .filter(|(name, _)| self.is_secret(name))
            .map(|(_, v)| v.clone());
        let mut all: Vec<Vec<u8>> = self
            .known_secrets
            .iter()
            .cloned()
            .chain(typed)
            .chain(carried)
            .filter(|v| !v.is_empty())
            .map(String::into_bytes)
            .collect();
        all.sort();
        all.dedup();
        self.screen_secrets = all;
    }
}

/// The held-back ending of one pane's stream.
#[derive(Debug, Default, Clone)]
pub struct StreamMask {
    pending: Vec<u8>,
    /// A tick passed while holding: the next one gives up what is held.
    stale: bool,
}

impl StreamMask {
    /// The bytes to draw for `chunk`, with every complete secret replaced by [`MASK`].
    pub fn push<'a>(&mut self, chunk: &'a [u8], secrets: &[Vec<u8>]) -> Cow<'a, [u8]> {
        if secrets.is_empty() && self.pending.is_empty() {
            // No secret known (the usual case): a flood is not copied.
            return Cow::Borrowed(chunk);
        }
        self.stale = false;
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(chunk);
        let masked = replace_all(&data, secrets);
        let keep = held_back(&masked, secrets);
        self.pending = masked[masked.len() - keep..].to_vec();
        Cow::Owned(masked[..masked.len() - keep].to_vec())
    }

    /// What is held back, given up as it is (no more output came for a while, or the run ended).
    pub fn flush(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.pending)
    }

    pub fn is_holding(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Called on each clock tick: what is held through two ticks in a row is given up.
    pub fn on_tick(&mut self) -> Vec<u8> {
        if self.pending.is_empty() {
            return Vec::new();
        }
        if self.stale {
            self.stale = false;
            return self.flush();
        }
        self.stale = true;
        Vec::new()
    }
}

/// `data` with every occurrence of a secret replaced, the longest secret first at each place.
fn replace_all(data: &[u8], secrets: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let hit = secrets
            .iter()
            .filter(|s| !s.is_empty() && data[i..].starts_with(s))
            .map(Vec::len)
            .max();
        match hit {
            Some(len) => {
                out.extend_from_slice(MASK.as_bytes());
                i += len;
            }
            None => {
                out.push(data[i]);
                i += 1;
            }
        }
    }
    out
}

/// How many bytes at the end of `data` are a proper prefix of some secret.
fn held_back(data: &[u8], secrets: &[Vec<u8>]) -> usize {
    let longest = secrets.iter().map(Vec::len).max().unwrap_or(0);
    (1..longest.min(data.len() + 1))
        .rev()
        .find(|&n| {
            let tail = &data[data.len() - n..];
            secrets.iter().any(|s| s.len() > n && s.starts_with(tail))
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Vec<Vec<u8>> {
        vec![b"hunter2".to_vec(), b"hunter2-long".to_vec()]
    }

    #[test]
    fn whole_and_split_secrets_are_masked() {
        let mut m = StreamMask::default();
        let out = m.push(b"token is hunter2\r\n", &secrets()).into_owned();
        assert_eq!(out, format!("token is {MASK}\r\n").into_bytes());
        let mut shown = m.push(b"again hun", &secrets()).into_owned();
        assert_eq!(shown, b"again ");
        assert!(m.is_holding());
        shown.extend_from_slice(&m.push(b"ter2-long!", &secrets()));
        assert_eq!(shown, format!("again {MASK}!").into_bytes());
        assert!(!m.is_holding());
    }

    #[test]
    fn a_held_prefix_is_given_up_on_flush() {
        let mut m = StreamMask::default();
        assert_eq!(&*m.push(b"Password for hu", &secrets()), b"Password for ");
        assert_eq!(m.flush(), b"hu");
        assert!(!m.is_holding());
        assert_eq!(&*m.push(b"plain", &[]), b"plain");
        assert_eq!(&*m.push(b"hunt", &secrets()), b"");
        assert_eq!(m.on_tick(), b"", "held through one tick");
        assert_eq!(m.on_tick(), b"hunt", "given up at the second");
    }
}
