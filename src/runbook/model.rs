//! The runbook model: what a markdown file becomes. Field names follow the `runbook list --json`
//! contract in `RUNBOOK-MODEL.md`; keep them stable, add fields freely.

use super::Text;
use serde::Serialize;
use smallvec::SmallVec;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A parsed runbook: metadata, headings and steps in document order.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Runbook {
    /// First H1, else front-matter title, else the file stem (set by the caller).
    pub title: String,
    /// The path as given by the user (filled by the CLI; empty for in-memory text).
    pub source: String,
    pub meta: Meta,
    pub sections: Vec<Section>,
    pub steps: Vec<Step>,
    pub warnings: Vec<Warning>,
}

/// Front matter, parsed from YAML (`---`) or TOML (`+++`).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    pub variables: BTreeMap<String, VarSpec>,
    /// Unknown keys, kept verbatim.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// How a front-matter variable is declared: a default and how to ask for it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct VarSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
}

/// A heading.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Section {
    pub level: u8,
    pub title: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Check,
    Command,
    Note,
}

/// How much a command can change the world. Ordered: `Read < Write < Destructive`.
#[derive(
    Debug, Clone, Copy, Serialize, serde::Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Read,
    Write,
    Destructive,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Read => "read",
            Risk::Write => "write",
            Risk::Destructive => "destructive",
        }
    }
    pub fn parse(text: &str) -> Option<Risk> {
        match text.trim().to_ascii_lowercase().as_str() {
            "read" | "safe" | "readonly" | "read-only" => Some(Risk::Read),
            "write" | "mutating" => Some(Risk::Write),
            "destructive" | "danger" | "dangerous" => Some(Risk::Destructive),
            _ => None,
        }
    }
}

/// One command of a block, split as a shell would read it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Command {
    pub text: Text,
    /// 1-based line of the command's first line in the file.
    pub line: usize,
    pub label: Option<Text>,
    pub risk: Risk,
    pub interactive: bool,
    pub long_running: bool,
}

/// A step: a task item, an executable block or a note block. Its strings are [`Text`]s that
/// share one buffer (see `text.rs`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub number: usize,
    pub id: Text,
    pub kind: StepKind,
    pub title: Text,
    /// The headings above the step, H1 included; steps of one section share it.
    pub section: Arc<[String]>,
    pub line: usize,
    pub depth: usize,
    pub parent: Option<usize>,
    pub checked: bool,
    pub lang: Option<Text>,
    pub code: Option<Text>,
    pub manifest: bool,
    pub commands: Vec<Command>,
    pub risk: Option<Risk>,
    pub variables: Vec<Text>,
    pub placeholders: Vec<Text>,
    pub expect: Vec<Text>,
    pub annotations: BTreeMap<Text, Text>,
    /// Markdown text around the step (paragraphs between the previous step and this one, and the
    /// task item's own text), for the TUI's step view. Not part of the JSON contract.
    #[serde(skip)]
    pub context: Text,
    /// File line of each code block this step holds (one for command/note steps, any number for
    /// checks; most steps hold one, kept inline). Lets callers account for every block of the
    /// file.
    #[serde(skip)]
    pub block_lines: SmallVec<[usize; 2]>,
}

impl Step {
    /// True when the step has something to run.
    pub fn is_runnable(&self) -> bool {
        !self.commands.is_empty()
    }
}

/// A problem found while parsing; `line` is 1-based.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}
