//! Browser test: placeholder until chromium is wired.
