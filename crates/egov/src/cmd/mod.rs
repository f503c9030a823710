//! One module per subcommand.

pub mod check;
pub mod dsi;
pub mod regress;
pub mod reproduce;
pub mod simulate;
