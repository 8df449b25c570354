//! The unquoted text of a word, assembled from pieces of the input. Quote removal mostly drops
//! bytes at the edges (`"$POD"`, `'x'`) or keeps pieces that follow each other (`--a=${B}`),
//! so the text usually is one slice of the input: it stays borrowed until a piece does not
//! follow the previous one (`a"b"`) or a character is not in the input (`$'\n'`).

use std::borrow::Cow;

pub(super) struct Text<'a> {
    src: &'a str,
    /// While nothing is owned, the text is `src[from..to]`.
    from: usize,
    to: usize,
    owned: Option<String>,
}

impl<'a> Text<'a> {
    pub fn new(src: &'a str) -> Text<'a> {
        Text {
            src,
            from: 0,
            to: 0,
            owned: None,
        }
    }

    /// Appends `src[from..to]` (character boundaries; clamped to the input).
    pub fn piece(&mut self, from: usize, to: usize) {
        let to = to.min(self.src.len());
        if from >= to {
            return;
        }
        match &mut self.owned {
            Some(s) => s.push_str(self.src.get(from..to).unwrap_or_default()),
            None if self.from == self.to => (self.from, self.to) = (from, to),
            None if self.to == from => self.to = to,
            None => {
                let mut s = self.own();
                s.push_str(self.src.get(from..to).unwrap_or_default());
                self.owned = Some(s);
            }
        }
    }

    /// Appends a character that is not a piece of the input.
    pub fn push(&mut self, c: char) {
        match &mut self.owned {
            Some(s) => s.push(c),
            None => {
                let mut s = self.own();
                s.push(c);
                self.owned = Some(s);
            }
        }
    }

    /// A copy of the borrowed text so far, with room for a typical word.
    fn own(&self) -> String {
        let so_far = self.src.get(self.from..self.to).unwrap_or_default();
        let mut s = String::with_capacity(so_far.len() + 32);
        s.push_str(so_far);
        s
    }

    pub fn finish(self) -> Cow<'a, str> {
        match self.owned {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(self.src.get(self.from..self.to).unwrap_or_default()),
        }
    }
}
