//! `runbook`: turn markdown procedures into steps you can walk, run and record.
//!
//! The crate is split into a pure core (`runbook`, `state`) and IO edges (`exec`, `journal`,
//! `tui`, `app`). See `ARCHITECTURE.md` in the design folder for the flow of data.

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod exec;
pub mod headless;
pub mod input;
pub mod journal;
pub mod kubectx;
pub mod listing;
pub mod outline;
pub mod runbook;
pub mod secrets;
pub mod state;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod values;
