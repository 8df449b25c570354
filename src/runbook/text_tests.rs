//! Unit tests of [`Text`]: it must be indistinguishable from a `String` to its users.

use super::Text;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

fn hash_of<T: Hash + ?Sized>(x: &T) -> u64 {
    let mut h = DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

#[test]
fn shared_views_of_one_buffer() {
    let buf: Arc<str> = Arc::from("kubectl get pods -n shop");
    let all = Text::shared(&buf, 0..buf.len());
    let verb = Text::shared(&buf, 8..11);
    let empty = Text::shared(&buf, 5..5);
    assert_eq!(all, "kubectl get pods -n shop");
    assert_eq!(verb, "get");
    assert_eq!(empty, "");
    assert!(empty.is_empty());
    // One buffer: the views and the caller's handle.
    assert_eq!(Arc::strong_count(&buf), 4);
    let copy = verb.clone();
    assert_eq!(Arc::strong_count(&buf), 5);
    drop((all, verb, empty, copy));
    assert_eq!(Arc::strong_count(&buf), 1);
    assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<String>());
    assert_eq!(std::mem::size_of::<Option<Text>>(), 24);
}

#[test]
#[cfg(not(debug_assertions))]
fn bad_ranges_give_empty_texts_in_release() {
    let buf: Arc<str> = Arc::from("é-x");
    assert_eq!(Text::shared(&buf, 1..2), "");
    assert_eq!(Text::shared(&buf, 2..9), "");
    #[allow(clippy::reversed_empty_ranges)]
    let backwards = 3..1;
    assert_eq!(Text::shared(&buf, backwards), "");
}

#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "range")]
fn bad_ranges_are_caught_in_debug() {
    let buf: Arc<str> = Arc::from("é-x");
    let _ = Text::shared(&buf, 1..2);
}

#[test]
fn equality_with_every_string_type() {
    let t = Text::from("abc");
    let s = String::from("abc");
    assert_eq!(t, "abc");
    assert_eq!("abc", t);
    assert_eq!(t, *"abc");
    assert_eq!(*"abc", t);
    assert_eq!(t, s);
    assert_eq!(s, t);
    assert_ne!(t, "abd");
    // Same content in different buffers, and a view of a longer buffer.
    let buf: Arc<str> = Arc::from("xabcx");
    assert_eq!(Text::shared(&buf, 1..4), t);
    assert_eq!(Text::from(s.clone()), t);
    assert_eq!(Text::default(), "");
    assert_eq!(t.as_str(), "abc");
    assert_eq!(t.clone().into_string(), s);
    assert_eq!(t.to_string(), s);
    assert_eq!(String::from(&t), s);
}

#[test]
fn order_and_hash_follow_the_content() {
    let buf: Arc<str> = Arc::from("bab");
    let words = [
        Text::shared(&buf, 1..3),
        Text::from("a"),
        Text::shared(&buf, 0..1),
        Text::from(""),
        Text::from("é"),
    ];
    let mut sorted = words.to_vec();
    sorted.sort();
    let mut strings: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    strings.sort();
    assert_eq!(sorted, strings);
    for (a, b) in words.iter().zip(&strings) {
        // `Borrow<str>` requires the hash of a text to be its `str`'s.
        assert_eq!(hash_of(a), hash_of(a.as_str()));
        assert_eq!(a.cmp(&words[0]), a.as_str().cmp(words[0].as_str()));
        let _ = b;
    }
    assert_eq!(
        hash_of(&Text::shared(&buf, 1..3)),
        hash_of(&Text::from("ab"))
    );
}

#[test]
fn maps_look_up_by_str() {
    let buf: Arc<str> = Arc::from("namedeploy");
    let mut map = BTreeMap::new();
    map.insert(Text::shared(&buf, 0..4), Text::shared(&buf, 4..10));
    assert_eq!(map.get("name").map(|v| v.as_str()), Some("deploy"));
    assert!(!map.contains_key("deploy"));
    let mut hashed = HashMap::new();
    hashed.insert(Text::from("k"), 1);
    assert_eq!(hashed.get("k"), Some(&1));
}

#[test]
fn debug_display_and_serde_match_string() {
    for s in [
        "plain",
        "",
        "quote \" and \\ back",
        "tab\tnew\nline",
        "é…\u{1b}[0m",
        "\0",
    ] {
        let t = Text::from(s);
        let owned = s.to_string();
        assert_eq!(format!("{t:?}"), format!("{owned:?}"));
        assert_eq!(format!("{t:#?}"), format!("{owned:#?}"));
        assert_eq!(format!("{t}"), owned);
        assert_eq!(format!("{t:>12}|"), format!("{owned:>12}|"));
        assert_eq!(
            serde_json::to_string(&t).ok(),
            serde_json::to_string(&owned).ok()
        );
        let back: Text = serde_json::from_str(&serde_json::to_string(&owned).unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(back, owned);
    }
    // In containers too (the `--dump` output of steps).
    let some = Some(Text::from("a\"b"));
    assert_eq!(
        format!("{some:#?}"),
        format!("{:#?}", Some("a\"b".to_string()))
    );
    let map: BTreeMap<Text, Text> = [("k".into(), "v".into())].into();
    let strings: BTreeMap<String, String> = [("k".into(), "v".into())].into();
    assert_eq!(format!("{map:#?}"), format!("{strings:#?}"));
    assert_eq!(
        serde_json::to_string(&map).ok(),
        serde_json::to_string(&strings).ok()
    );
}

#[test]
fn long_texts_keep_the_longest_prefix_on_a_char_boundary() {
    // A text longer than `u32::MAX` bytes would take 4 GB to test; the cut is the same with a
    // smaller limit.
    assert_eq!(super::longest_prefix("abc"), "abc");
    assert_eq!(super::prefix_within("aé", 2), "a");
    assert_eq!(super::prefix_within("aé", 3), "aé");
    assert_eq!(super::prefix_within("ééé", 5), "éé");
    assert_eq!(super::prefix_within("é", 1), "");
}
