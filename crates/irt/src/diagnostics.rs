//! Model diagnostics.
