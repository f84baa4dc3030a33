//! Bulgarian transliteration and name normalisation. Placeholder: being written.
