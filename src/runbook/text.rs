//! [`Text`]: an immutable string that shares its bytes with the other texts of its step.
//!
//! A finished step holds a dozen strings or more (id, title, code, context, each command's text
//! and label, variable names…). Owning each in its own `String` made the parse allocate for
//! every one of them and made dropping a runbook free them one by one (slower still when they
//! were built on another thread). The parser writes a step's strings into one buffer instead,
//! freezes it into one `Arc<str>`, and hands out views of it: one allocation, one free.
//!
//! To every user a `Text` is an owned string: it derefs to `str`, compares, orders and hashes
//! like one (so `BTreeMap<Text, _>::get("name")` works), prints and serializes like `String`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::sync::Arc;

/// An immutable string: the bytes `start..start + len` of a shared buffer. 24 bytes, like a
/// `String`; cloning it clones an `Arc`.
#[derive(Clone)]
pub struct Text {
    buf: Arc<str>,
    start: u32,
    len: u32,
}

impl Text {
    /// The view of `range` of `buf` (what the parser hands out for each string of a step).
    ///
    /// The range must lie on char boundaries of `buf` and end within `u32::MAX` bytes (the
    /// parser reads at most 20 MB). A range that does not is a bug: it panics in debug builds
    /// and gives an empty text in release builds.
    pub fn shared(buf: &Arc<str>, range: Range<usize>) -> Text {
        let fits = u32::try_from(range.end).is_ok() && buf.get(range.clone()).is_some();
        debug_assert!(fits, "range {range:?} of a {}-byte text", buf.len());
        let (start, len) = if fits {
            // Both fit: `range.end` does and `start <= end` (`get` checked it).
            (range.start as u32, (range.end - range.start) as u32)
        } else {
            (0, 0)
        };
        Text {
            buf: Arc::clone(buf),
            start,
            len,
        }
    }

    /// A text in a buffer of its own.
    fn own(text: &str) -> Text {
        let text = longest_prefix(text);
        Text {
            len: text.len() as u32,
            buf: Arc::from(text),
            start: 0,
        }
    }

    pub fn as_str(&self) -> &str {
        let start = self.start as usize;
        // Always in range: `shared` and `own` only make views that are.
        self.buf
            .get(start..start + self.len as usize)
            .unwrap_or_default()
    }

    /// The text as a `String` of its own.
    pub fn into_string(self) -> String {
        self.as_str().to_string()
    }

    /// Whether `other` is a view of the same buffer, and where in it this text starts (for
    /// tests of the parser's layout).
    #[cfg(test)]
    pub(crate) fn offset_in_buffer_of(&self, other: &Text) -> Option<usize> {
        Arc::ptr_eq(&self.buf, &other.buf).then_some(self.start as usize)
    }

    /// The length of the whole buffer this text is a view of.
    #[cfg(test)]
    pub(crate) fn buffer_len(&self) -> usize {
        self.buf.len()
    }
}

/// The longest prefix of `text` that a [`Text`] can hold (`u32::MAX` bytes), cut on a char
/// boundary.
fn longest_prefix(text: &str) -> &str {
    prefix_within(text, u32::MAX as usize)
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
fn prefix_within(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Default for Text {
    /// The empty text.
    fn default() -> Text {
        Text {
            buf: Arc::default(),
            start: 0,
            len: 0,
        }
    }
}

impl From<&str> for Text {
    /// A copy of `text` in a buffer of its own; only its first `u32::MAX` bytes (cut on a char
    /// boundary) when it is longer.
    fn from(text: &str) -> Text {
        Text::own(text)
    }
}

impl From<String> for Text {
    /// `text` in a buffer of its own; only its first `u32::MAX` bytes (cut on a char boundary)
    /// when it is longer.
    fn from(text: String) -> Text {
        Text::own(&text)
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text::own(text)
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.into_string()
    }
}

impl From<&Text> for String {
    fn from(text: &Text) -> String {
        text.as_str().to_string()
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    /// Quoted and escaped, exactly as a `String` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

// Equality, order and hash are those of the content (as `Borrow<str>` requires): two views of
// different buffers holding the same bytes are equal.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// `Text == other` and `other == Text` for the string types it is compared with.
macro_rules! eq_with {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for Text {
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<Text> for $other {
            fn eq(&self, other: &Text) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}

eq_with!(str, &str, String);

impl Serialize for Text {
    /// A plain JSON string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        String::deserialize(deserializer).map(Text::from)
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
