//! One module per subcommand.

pub mod charts;
pub mod check;
pub mod dsi;
pub mod regress;
pub mod reproduce;
pub mod simulate;
