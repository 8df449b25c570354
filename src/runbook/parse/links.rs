//! Link reference definitions across chunks. A reference (`[text][label]`, `[label]`) is a
//! link when the document defines its label anywhere (`[label]: url`), before or after it; a
//! chunk's parser only knows its own definitions. Every chunk's definitions are gathered once
//! the chunks' first passes are done, and a reference a chunk cannot resolve is looked up
//! there, in document order, as the parse of the whole document would.
//!
//! A label defined in two chunks resolves, in the later one, to that chunk's own definition
//! instead of the first: the link's destination differs, its text does not, and the walker
//! reads only the text. What could still differ is pulldown-cmark's limit on expanding
//! references (it stops past at least 100,000 bytes of them, counted per parse):
//! [`Links::within_limit`] tells whether the document stays below it in any case; when it may
//! not, the document is parsed in one piece.

use pulldown_cmark::{BrokenLink, BrokenLinkCallback, CowStr, LinkType, RefDefs, Tag};
use std::collections::HashMap;
use std::sync::OnceLock;
use unicase::UniCase;

/// Below this many bytes of expanded references, no parse, whole or chunk, reaches
/// pulldown-cmark's limit.
pub(super) const EXPANSION_LIMIT: usize = 100_000;

/// The destination and title of each label defined in the document.
type Defs = HashMap<UniCase<String>, (String, String)>;

/// Every chunk's definitions, once they are known.
#[derive(Default)]
pub(super) struct Links {
    defs: OnceLock<Defs>,
}

/// What bounds the expansion of references in the document.
#[derive(Debug, Default)]
pub(super) struct Stats {
    /// Whether a label is defined more than once.
    defined_twice: bool,
    /// The longest destination and title of a definition.
    longest: usize,
}

impl Links {
    /// The definitions of every chunk, in order (the first definition of a label wins).
    pub(super) fn gather<'d>(&self, chunks: impl Iterator<Item = &'d RefDefs<'d>>) -> Stats {
        let mut stats = Stats::default();
        let mut defs = Defs::new();
        for chunk in chunks {
            for (label, def) in chunk.iter() {
                let title = def.title.as_deref().unwrap_or_default();
                stats.longest = stats.longest.max(def.dest.len() + title.len());
                // pulldown-cmark matches labels as `UniCase` does, as written.
                let key = UniCase::new(label.to_string());
                if defs.contains_key(&key) {
                    stats.defined_twice = true;
                    continue;
                }
                defs.insert(key, (def.dest.to_string(), title.to_string()));
            }
        }
        // Nothing to look up is the common case: no definitions at all.
        if !defs.is_empty() {
            // Set once, by the one thread that gathers.
            let _ = self.defs.set(defs);
        }
        stats
    }
}

impl Stats {
    /// Whether `references` links from references that expanded to `expanded` bytes in the
    /// chunks stay below pulldown-cmark's limit whichever definitions they took.
    pub(super) fn within_limit(&self, references: usize, expanded: usize) -> bool {
        let bound = if self.defined_twice {
            references.saturating_mul(self.longest)
        } else {
            expanded
        };
        bound < EXPANSION_LIMIT
    }
}

/// The callback a chunk's parser asks for a reference it has no definition for.
#[derive(Clone, Copy)]
pub(super) struct Resolve<'s> {
    pub links: &'s Links,
}

impl<'a> BrokenLinkCallback<'a> for Resolve<'_> {
    fn handle_broken_link(&mut self, link: BrokenLink<'a>) -> Option<(CowStr<'a>, CowStr<'a>)> {
        let defs = self.links.defs.get()?;
        let (dest, title) = defs.get(&UniCase::new(link.reference.to_string()))?;
        Some((dest.clone().into(), title.clone().into()))
    }
}

/// The bytes a link or image from a reference expands to (what pulldown-cmark counts against
/// its limit); `None` for other tags.
pub(super) fn expansion(tag: &Tag<'_>) -> Option<usize> {
    let (Tag::Link {
        link_type,
        dest_url,
        title,
        ..
    }
    | Tag::Image {
        link_type,
        dest_url,
        title,
        ..
    }) = tag
    else {
        return None;
    };
    let reference = matches!(
        link_type,
        LinkType::Reference
            | LinkType::ReferenceUnknown
            | LinkType::Collapsed
            | LinkType::CollapsedUnknown
            | LinkType::Shortcut
            | LinkType::ShortcutUnknown
    );
    reference.then(|| dest_url.len() + title.len())
}
