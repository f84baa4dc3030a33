//! Reference data shipped with Zakrila (organisations, IOM's service catalogue).
//! Placeholder: being written.
