//! PURE. Markdown → [`Runbook`]: front matter, sections, steps, commands, risk and variables.
//!
//! Nothing in this module does IO; [`parse`] takes text and returns the model, never panics, and
//! keeps the source line of every step so that every other part of the app can point back into
//! the file.

mod build;
mod frontmatter;
mod ids;
mod lang;
mod model;
mod parse;
mod pool;
pub mod risk;
pub mod shell;
mod step_text;
mod text;
pub mod vars;

pub use model::{Command, Meta, Risk, Runbook, Section, Step, StepKind, VarSpec, Warning};
pub use parse::{parse, parse_titled, parse_with_threads};
pub use text::Text;
